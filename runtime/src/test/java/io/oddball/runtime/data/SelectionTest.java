package io.oddball.runtime.data;

import static io.oddball.runtime.data.TestData.CIFAR;
import static io.oddball.runtime.data.TestData.FASHION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.data.Batch;
import io.oddball.api.data.Dataset;
import io.oddball.api.error.ConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTest {
    private static final int PIXELS = 784;

    private final IdxReaderProvider idx = new IdxReaderProvider();

    @TempDir
    Path tmp;

    @Test
    void batchesOf7EqualBatchesOf1000AndPassesRepeat() {
        Dataset d = TestData.open(idx, FASHION, Map.of());
        List<Batch> small = TestData.batches(d, 7);
        assertThat(small).hasSize(286);
        assertThat(small.get(0).size()).isEqualTo(7);
        assertThat(small.get(285).size()).isEqualTo(2000 - 285 * 7);
        float[] a = TestData.values(d, 7);
        float[] b = TestData.values(d, 1000);
        assertThat(a).isEqualTo(b);
        assertThat(TestData.values(d, 1000)).isEqualTo(b);
        assertThat(TestData.labels(d, 7)).isEqualTo(TestData.labels(d, 1000));
        Dataset cifar = TestData.open(new Cifar10ReaderProvider(), CIFAR, Map.of());
        assertThat(TestData.values(cifar, 7)).isEqualTo(TestData.values(cifar, 1000));
    }

    @Test
    void batchLargerThanTheDataGivesOneBatch() {
        Dataset d = TestData.open(idx, FASHION, Map.of("limit", 10));
        List<Batch> all = TestData.batches(d, Integer.MAX_VALUE);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).size()).isEqualTo(10);
    }

    @Test
    void limitAndOffset() {
        float[] all = TestData.values(TestData.open(idx, FASHION, Map.of()), 1000);
        int[] labels = TestData.labels(TestData.open(idx, FASHION, Map.of()), 1000);
        Dataset d = TestData.open(idx, FASHION, Map.of("offset", 5, "limit", 10));
        assertThat(d.size()).hasValue(10);
        assertThat(TestData.values(d, 3)).isEqualTo(Arrays.copyOfRange(all, 5 * PIXELS, 15 * PIXELS));
        assertThat(TestData.labels(d, 3)).isEqualTo(Arrays.copyOfRange(labels, 5, 15));
        Dataset tail = TestData.open(idx, FASHION, Map.of("offset", 1995, "limit", 10));
        assertThat(tail.size()).hasValue(5);
        assertThat(TestData.values(tail, 3)).hasSize(5 * PIXELS);
    }

    @Test
    void classesKeepsListedLabelsThenOffsetAndLimitApply() {
        int[] labels = TestData.labels(TestData.open(idx, FASHION, Map.of()), 1000);
        long threesAndFives = Arrays.stream(labels).filter(l -> l == 3 || l == 5).count();
        assertThat(threesAndFives).isEqualTo(190 + 195);
        Dataset d = TestData.open(idx, FASHION, Map.of("classes", List.of(5, 3)));
        assertThat(d.size()).isEmpty();
        int[] kept = TestData.labels(d, 64);
        assertThat(kept).hasSize(190 + 195).containsOnly(3, 5);
        Dataset paged = TestData.open(idx, FASHION, Map.of("classes", List.of(3, 5), "offset", 10, "limit", 20));
        assertThat(TestData.labels(paged, 7)).isEqualTo(Arrays.copyOfRange(kept, 10, 30));
    }

    @Test
    void constantLabelReplacesOrAddsLabels() {
        Dataset d = TestData.open(idx, FASHION, Map.of("label", 1, "limit", 50));
        assertThat(TestData.labels(d, 7)).hasSize(50).containsOnly(1);
        Path unlabelled = TestData.write(tmp, "x.idx.gz", TestData.gzip(TestData.gunzip(FASHION)));
        Dataset added = TestData.open(idx, unlabelled, Map.of("label", 0, "limit", 3));
        assertThat(added.hasLabels()).isTrue();
        assertThat(TestData.labels(added, 2)).containsExactly(0, 0, 0);
        Dataset filtered = TestData.open(idx, FASHION, Map.of("classes", List.of(9), "label", 1));
        assertThat(TestData.labels(filtered, 100)).hasSize(188).containsOnly(1);
    }

    @Test
    void badValuesAreReportedTogether() {
        Path unlabelled = TestData.write(tmp, "x.idx.gz", TestData.gzip(TestData.gunzip(FASHION)));
        Params params = Params.of(Map.of("limit", -1, "classes", List.of(1.5), "lable", 1));
        idx.open(FASHION, params);
        assertThatThrownBy(params::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("limit: expected a count >= 0, found -1")
                .hasMessageContaining("classes: expected a list of integer labels, found a list")
                .hasMessageContaining("lable: unknown key; did you mean");
        Params offset = Params.of(Map.of("offset", 5000));
        idx.open(FASHION, offset);
        assertThatThrownBy(offset::finish)
                .hasMessage("offset: expected less than the 2000 instances of " + FASHION + ", found 5000");
        Params noLabels = Params.of(Map.of("classes", List.of(1)));
        idx.open(unlabelled, noLabels);
        assertThatThrownBy(noLabels::finish)
                .hasMessageContaining("classes: expected a dataset with labels (" + unlabelled + " has none), found");
    }
}
