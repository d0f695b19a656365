package io.oddball.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesReaderProviderTest {
    private final ImagesReaderProvider reader = new ImagesReaderProvider();

    @TempDir
    Path tmp;

    private static Path png(Path file, int w, int h, int... rgb) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < rgb.length; i++) {
            image.setRGB(i % w, i / w, rgb[i]);
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, file.toString().endsWith(".png") ? "png" : "jpg", file.toFile());
        return file;
    }

    @Test
    void readsRgbChannelsLastInRgbOrder() throws IOException {
        Path file = png(tmp.resolve("a.png"), 2, 1, 0x102030, 0xFF0080);
        Dataset d = TestData.open(reader, file, Map.of());
        assertThat(d.instanceShape()).isEqualTo(Shape.of(1, 2, 3));
        assertThat(d.size()).hasValue(1);
        assertThat(TestData.values(d, 1)).containsExactly(0x10, 0x20, 0x30, 0xFF, 0x00, 0x80);
    }

    @Test
    void greyFromRgbAndFromAGreyPng() throws IOException {
        Path file = png(tmp.resolve("a.png"), 1, 1, 0x64C832);
        float[] grey = TestData.values(TestData.open(reader, file, Map.of("channels", 1)), 1);
        assertThat(grey[0]).isCloseTo(0.299f * 100 + 0.587f * 200 + 0.114f * 50, within(1e-3f));
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 37);
        g.getRaster().setSample(1, 0, 0, 200);
        Path greyFile = tmp.resolve("g.png");
        ImageIO.write(g, "png", greyFile.toFile());
        assertThat(TestData.values(TestData.open(reader, greyFile, Map.of("channels", 1)), 1)).containsExactly(37,
                200);
        assertThat(TestData.values(TestData.open(reader, greyFile, Map.of()), 1)).containsExactly(37, 37, 37, 200,
                200, 200);
    }

    @Test
    void resizesBilinearWithHalfPixelCentres() throws IOException {
        Path file = png(tmp.resolve("row.png"), 2, 1, 0x000000, 0x646464);
        Dataset d = TestData.open(reader, file, Map.of("size", List.of(1, 4), "channels", 1));
        assertThat(d.instanceShape()).isEqualTo(Shape.of(1, 4, 1));
        // PyTorch interpolate(bilinear, align_corners=False) of [0, 100] to width 4 gives [0, 25, 75, 100]
        assertThat(TestData.values(d, 1)).containsExactly(0, 25, 75, 100);
    }

    @Test
    void aFolderThatIsALinkReadsAsTheFolder() throws IOException {
        png(tmp.resolve("real/cat/a.png"), 1, 1, 0x102030);
        png(tmp.resolve("real/dog/b.png"), 1, 1, 0x405060);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("real"));
        Files.createSymbolicLink(tmp.resolve("real/more"), tmp.resolve("real/dog"));
        Dataset d = TestData.open(reader, link, Map.of("labelsFromFolders", true));
        assertThat(d.size()).hasValue(3);
        assertThat(TestData.values(d, 3)).containsExactly(0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x40, 0x50, 0x60);
        assertThat(TestData.labels(d, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void folderSortedByPathWithFolderLabelsAndJpeg() throws IOException {
        png(tmp.resolve("dog/b.png"), 2, 2, 0x0000FF, 0x0000FF, 0x0000FF, 0x0000FF);
        png(tmp.resolve("cat/z.png"), 2, 2, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000);
        png(tmp.resolve("cat/a.jpg"), 2, 2, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF);
        Files.writeString(tmp.resolve("cat/notes.txt"), "ignored");
        Dataset d = TestData.open(reader, tmp, Map.of("labelsFromFolders", true));
        assertThat(d.size()).hasValue(3);
        assertThat(TestData.labels(d, 2)).containsExactly(0, 0, 1);
        float[] v = TestData.values(d, 2);
        assertThat(v[0]).isGreaterThan(240); // cat/a.jpg, white (JPEG is lossy)
        assertThat(new float[] {v[12], v[13], v[14]}).containsExactly(255, 0, 0); // cat/z.png, red
        assertThat(new float[] {v[24], v[25], v[26]}).containsExactly(0, 0, 255); // dog/b.png, blue
    }

    @Test
    void brokenPngIsNamed() throws IOException {
        png(tmp.resolve("a.png"), 2, 2, 0, 0, 0, 0);
        Path broken = TestData.write(tmp, "b.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 1});
        Dataset d = TestData.open(reader, tmp, Map.of());
        assertThatThrownBy(() -> TestData.values(d, 4)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(broken + ": expected a readable PNG or JPEG image, found broken image data");
        Path text = TestData.write(tmp, "c/t.png", "hello");
        assertThatThrownBy(() -> TestData.open(reader, text, Map.of()))
                .hasMessage(text + ": expected a PNG or JPEG image, found data no image reader recognises");
    }

    @Test
    void sizeMismatchWithoutResizeIsNamed() throws IOException {
        png(tmp.resolve("a.png"), 2, 2, 0, 0, 0, 0);
        Path other = png(tmp.resolve("b.png"), 3, 2, 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> TestData.values(TestData.open(reader, tmp, Map.of()), 4))
                .hasMessage(other + ": expected 2x2 pixels (the first image's size; set size: [H, W] to resize), "
                        + "found 2x3");
        assertThat(TestData.values(TestData.open(reader, tmp, Map.of("size", List.of(2, 2))), 4)).hasSize(24);
    }

    @Test
    void imagesDirectlyInTheRootCannotTakeFolderLabels() throws IOException {
        Path file = png(tmp.resolve("a.png"), 1, 1, 0);
        assertThatThrownBy(() -> TestData.open(reader, tmp, Map.of("labelsFromFolders", true)))
                .hasMessage(file + ": expected the image in a class sub-folder of " + tmp
                        + " (labelsFromFolders: true), found it directly in the folder");
    }
}
