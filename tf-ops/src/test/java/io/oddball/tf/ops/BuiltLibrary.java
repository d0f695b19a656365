package io.oddball.tf.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.tf.TfOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The check that opens every test of the op library ({@code @ExtendWith(BuiltLibrary.class)}): it was built wherever
 * it could be, and it loads.
 */
public final class BuiltLibrary implements BeforeAllCallback {
    /** The options that build graphs with the op library. */
    public static final TfOptions ON = TfOptions.defaults().withOpLibrary(TfOptions.OpLibraryUse.ON);

    @Override
    public void beforeAll(ExtensionContext context) {
        check();
    }

    /**
     * build.sh builds the library wherever a C++ compiler is present (CI has one): it must then be there (a library
     * that needs a newer C library or a shared C++ runtime is dropped by build.sh) and load. Without a compiler the
     * calling tests are skipped.
     */
    public static void check() {
        boolean built = FusedOps.class.getResource(FusedOps.RESOURCE) != null;
        assertThat(built || !compilerOnPath()).as("build.sh built no op library although a C++ compiler is on the"
                + " PATH: see its lines in the build log").isTrue();
        Assumptions.assumeTrue(built, "the fused-op library was not built (no C++ compiler)");
        FusedOps library = new FusedOps();
        assertThat(library.load()).as(String.valueOf(library.unavailableReason())).isTrue();
    }

    private static boolean compilerOnPath() {
        String cxx = System.getenv().getOrDefault("CXX", "g++");
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, cxx))) {
                return true;
            }
        }
        return false;
    }
}
