package io.oddball.runtime.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DisplayPathTest {
    @Test
    void pathsUnderTheBaseAreRelativeOthersUnchanged() {
        Path base = Path.of("/home/someone/oddball");
        assertThat(DisplayPath.of("/home/someone/oddball/data/mnist/x.gz", base)).isEqualTo("data/mnist/x.gz");
        assertThat(DisplayPath.of("/home/someone/oddball/data/x.gz (training scores)", base))
                .isEqualTo("data/x.gz (training scores)");
        assertThat(DisplayPath.of("/home/someone/oddball-other/x.gz", base)).isEqualTo("/home/someone/oddball-other/x.gz");
        assertThat(DisplayPath.of("/data/x.gz", base)).isEqualTo("/data/x.gz");
        assertThat(DisplayPath.of("relative/x.gz", base)).isEqualTo("relative/x.gz");
        assertThat(DisplayPath.of(null, base)).isNull();
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(DisplayPath.of(Path.of("some/file.npy").toAbsolutePath().toString())).isEqualTo("some/file.npy");
        assertThat(DisplayPath.of(cwd)).isEqualTo(cwd);
    }
}
