package io.oddball.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.data.Dataset;
import io.oddball.api.data.Npy;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.runtime.pipeline.PipelineSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reports of real fitted pipelines: well-formed self-contained XHTML with every section, and decodable PNGs. */
class ReportWriterTest {
    @TempDir
    Path tmp;

    @Test
    void aeReportHoldsEverySectionWithReconstructionsAndHeatMaps() throws Exception {
        PipelineSpec spec = ReportFixtures.ae(tmp, 2);
        Path out = tmp.resolve("ae.html");
        Path pngs = tmp.resolve("ae-png");
        ReportWriter.Report r;
        try (Pipeline p = ReportFixtures.fit(spec)) {
            r = new ReportWriter().write(p, spec.evaluateIn(), spec.evaluateOod(),
                    ReportWriter.Options.defaults().withPngDir(pngs).withTop(6), out, () -> false);
        }
        assertThat(r.sections()).containsExactlyElementsOf(ReportWriter.SECTIONS);
        assertThat(r.notes()).isEmpty();
        assertThat(r.evaluation().inScores()).hasSize(200);
        assertThat(r.evaluation().metrics().auroc()).isGreaterThan(0.8);
        Document doc = parse(out);
        assertThat(sectionIds(doc)).containsExactlyElementsOf(ReportWriter.SECTIONS);
        String html = Files.readString(out).replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "data:");
        assertThat(html).contains("AUROC").contains("AUPR").contains("FPR at 95 % TPR").contains("F1")
                .contains("accuracy").contains("precision").contains("recall").contains("predicted outlier")
                .contains("threshold").contains("ae 0.1.0").contains("mnist-test-2000").contains("(200)")
                .doesNotContain("href=");
        assertThat(html.replace("http://www.w3.org/1999/xhtml", "")).doesNotContain("http");
        List<BufferedImage> images = embeddedImages(doc);
        assertThat(images).hasSize(5);
        for (int i = 0; i < 4; i++) {
            assertThat(images.get(i).getWidth()).isEqualTo(Charts.Size.DEFAULT.width());
            assertThat(images.get(i).getHeight()).isEqualTo(Charts.Size.DEFAULT.height());
        }
        // 6 outliers, 3 per row (input, reconstruction, heat map): 84-pixel panels (28 x 3)
        BufferedImage grid = images.get(4);
        assertThat(grid.getWidth()).isGreaterThan(3 * 3 * 84);
        assertThat(grid.getHeight()).isGreaterThan(2 * 84);
        assertThat(html).contains("reconstruction").contains("feature scores");

        assertThat(r.pngs()).extracting(f -> f.getFileName().toString()).containsExactly("instance-scores.png",
                "histogram.png", "roc.png", "precision-recall.png", "outliers.png");
        for (Path f : r.pngs()) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertThat(img).as(f.toString()).isNotNull();
            if (!f.endsWith("outliers.png")) {
                assertThat(img.getWidth()).isEqualTo(Charts.Size.DEFAULT.width());
                assertThat(img.getHeight()).isEqualTo(Charts.Size.DEFAULT.height());
            } else {
                assertThat(img.getWidth()).isEqualTo(grid.getWidth());
            }
        }
    }

    @Test
    void knnReportShowsTheTopOutlierInputsAndSaysWhatIsMissing() throws Exception {
        PipelineSpec spec = ReportFixtures.knn(tmp);
        Path out = tmp.resolve("knn.html");
        ReportWriter.Report r;
        try (Pipeline p = ReportFixtures.fit(spec)) {
            r = new ReportWriter().write(p, spec.evaluateIn(), spec.evaluateOod(), ReportWriter.Options.defaults(),
                    out, () -> false);
        }
        assertThat(r.sections()).containsExactlyElementsOf(ReportWriter.SECTIONS);
        assertThat(r.notes()).anyMatch(n -> n.contains("no reconstruction")).anyMatch(n -> n.contains("no feature"));
        assertThat(r.pngs()).isEmpty();
        Document doc = parse(out);
        assertThat(sectionIds(doc)).containsExactlyElementsOf(ReportWriter.SECTIONS);
        assertThat(embeddedImages(doc)).hasSize(5);
        assertThat(r.evaluation().metrics().auroc()).isGreaterThan(0.9);
    }

    @Test
    void llrReportAddsTheMapsOfTheTopOutliersAndSamples() throws Exception {
        PipelineSpec spec = ReportFixtures.llr(tmp);
        Path out = tmp.resolve("llr.html");
        Path pngs = tmp.resolve("llr-png");
        ReportWriter.Report r;
        try (Pipeline p = ReportFixtures.fit(spec)) {
            r = new ReportWriter().write(p, spec.evaluateIn(), spec.evaluateOod(),
                    ReportWriter.Options.defaults().withTop(4).withSamples(2).withPngDir(pngs), out, () -> false);
        }
        List<String> all = new ArrayList<>(ReportWriter.SECTIONS);
        all.addAll(ReportWriter.CAPABILITY_SECTIONS);
        assertThat(r.sections()).containsExactlyElementsOf(all);
        Document doc = parse(out);
        assertThat(sectionIds(doc)).containsExactlyElementsOf(all);
        List<BufferedImage> images = embeddedImages(doc);
        assertThat(images).hasSize(7);
        // 4 rows (input + 3 maps of 84 pixels) in 2 columns; 2 samples of 84 pixels side by side
        BufferedImage maps = images.get(5);
        assertThat(maps.getWidth()).isGreaterThan(2 * 4 * 84);
        assertThat(maps.getHeight()).isGreaterThan(2 * 84);
        BufferedImage samples = images.get(6);
        assertThat(samples.getWidth()).isGreaterThanOrEqualTo(2 * 84);
        assertThat(samples.getHeight()).isBetween(84, 2 * 84);
        assertThat(Files.readString(out)).contains("log_prob_semantic, log_prob_background, llr")
                .contains("drawn from the detector's semantic model");
        assertThat(r.pngs()).extracting(f -> f.getFileName().toString()).contains("maps.png", "samples.png");
    }

    @Test
    void rowsGetEverySectionButTheImagesWithANote() throws Exception {
        Random rnd = new Random(1);
        float[] train = new float[300 * 4];
        float[] far = new float[50 * 4];
        for (int i = 0; i < train.length; i++) {
            train[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < far.length; i++) {
            far[i] = (float) rnd.nextGaussian() + 3;
        }
        Npy.write(tmp.resolve("train.npy"), new int[] {300, 4}, train);
        Npy.write(tmp.resolve("far.npy"), new int[] {50, 4}, far);
        Path yaml = tmp.resolve("rows.yaml");
        Files.writeString(yaml, "detector: {type: knn, metric: euclidean}\ndata: {train: {path: train.npy}}\n");
        Oddball o = ReportFixtures.ODDBALL;
        try (Pipeline p = o.fit(yaml, ReportFixtures.CTX)) {
            Dataset in = o.openData(tmp.resolve("train.npy"), null, java.util.Map.of("limit", 50));
            Dataset ood = o.openData(tmp.resolve("far.npy"), null, java.util.Map.of());
            Path out = tmp.resolve("rows.html");
            ReportWriter.Report r = new ReportWriter().write(p, in, ood, ReportWriter.Options.defaults(), out,
                    () -> false);
            assertThat(r.sections()).doesNotContain("outliers").hasSize(5);
            assertThat(r.notes()).containsExactly("outliers: not shown: the data are not images (instance shape 4)");
            Document doc = parse(out);
            assertThat(sectionIds(doc)).containsExactlyElementsOf(ReportWriter.SECTIONS);
            assertThat(Files.readString(out)).contains("class=\"note\">Top outliers not shown");
        }
    }

    static Document parse(Path html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(html.toFile());
    }

    static List<String> sectionIds(Document doc) {
        NodeList sections = doc.getElementsByTagName("section");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sections.getLength(); i++) {
            ids.add(((Element) sections.item(i)).getAttribute("id"));
        }
        return ids;
    }

    /** Every embedded image, decoded, checked against its declared size. */
    static List<BufferedImage> embeddedImages(Document doc) throws Exception {
        NodeList imgs = doc.getElementsByTagName("img");
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < imgs.getLength(); i++) {
            Element e = (Element) imgs.item(i);
            String src = e.getAttribute("src");
            assertThat(src).startsWith("data:image/png;base64,");
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(img).isNotNull();
            assertThat(img.getWidth()).isEqualTo(Integer.parseInt(e.getAttribute("width")));
            assertThat(img.getHeight()).isEqualTo(Integer.parseInt(e.getAttribute("height")));
            out.add(img);
        }
        return out;
    }
}
