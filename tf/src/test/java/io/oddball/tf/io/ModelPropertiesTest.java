package io.oddball.tf.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.error.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTypedValuesAndChecksTheFormatVersion() throws Exception {
        Path f = dir.resolve("m.properties");
        ModelProperties.write(f, 2, Map.of("n", "12", "big", "12345678901", "x", "0.25", "name", "conv"), "test");
        ModelProperties p = ModelProperties.read(f, "the state file", 2);
        assertThat(p.intValue("n")).isEqualTo(12);
        assertThat(p.longValue("big")).isEqualTo(12345678901L);
        assertThat(p.doubleValue("x")).isEqualTo(0.25);
        assertThat(p.value("name")).isEqualTo("conv");
        assertThatThrownBy(() -> p.intValue("big")).isInstanceOf(ModelFormatException.class)
                .hasMessage(f + ": big: expected an integer, found 12345678901");
        assertThatThrownBy(() -> p.doubleValue("name")).hasMessage(f + ": name: expected a number, found conv");
        assertThatThrownBy(() -> p.value("missing")).hasMessage(f + ": missing: expected a value, found none");
        assertThatThrownBy(() -> ModelProperties.read(f, "the state file", 1)).isInstanceOf(ModelFormatException.class)
                .hasMessage(f + ": formatVersion: expected 1 to 1, found 2; saved by a newer Oddball");
        Files.delete(f);
        assertThatThrownBy(() -> ModelProperties.read(f, "the state file", 1))
                .hasMessage(f + ": expected the state file, found none");
    }
}
