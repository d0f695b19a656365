package io.oddball.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.Api;
import io.oddball.api.DetectorProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Every detector jar a user gets from {@code oddball-all} declares the api it was built against
 * ({@code Oddball-Api-Version}, written by the parent pom), equal to the api's own {@link Api#VERSION}: the runtime
 * checks that attribute for plugins on the class path and in plugin folders.
 */
class ApiVersionTest {
    @Test
    void theDetectorJarsDeclareTheApiVersionTheyWereBuiltAgainst() throws Exception {
        int jars = 0;
        for (DetectorProvider p : ServiceLoader.load(DetectorProvider.class)) {
            var location = p.getClass().getProtectionDomain().getCodeSource().getLocation();
            Path path = Path.of(location.toURI());
            if (!path.toString().endsWith(".jar")) {
                continue; // a class folder (an IDE's build): no manifest to check
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue(Api.MANIFEST_ATTRIBUTE))
                        .as("%s in %s", Api.MANIFEST_ATTRIBUTE, path.getFileName()).isEqualTo(Api.VERSION);
            }
            jars++;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(jars > 0, "the detectors are class folders here (an IDE build)");
        assertThat(jars).as("detector jars of oddball-all on the class path (knn, ae, vae, llr)").isEqualTo(4);
    }
}
