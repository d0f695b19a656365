package io.oddball.report;

import io.oddball.runtime.eval.Curve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart off screen ({@code java.awt.headless=true} is set before any is built):
 * Alibi's {@code plot_instance_score}, score histograms, ROC and precision-recall curves of one or more score
 * columns, and line charts over mask sizes. Stateless.
 */
public final class Charts {
    /** Colour of normal (in-distribution) data. */
    static final Color NORMAL = new Color(31, 119, 180);
    /** Colour of outliers (out-of-distribution data). */
    static final Color OUTLIER = new Color(214, 39, 40);
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
        new Color(227, 119, 194), new Color(127, 127, 127)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Makes sure this class (and with it the headless property) is initialised before AWT is first used. */
    static void headless() {
        // the static initialiser does the work
    }

    /** A chart's size in pixels. */
    public record Size(int width, int height) {
        /** The charts' default size. */
        public static final Size DEFAULT = new Size(560, 360);

        public Size {
            if (width < 100 || height < 100) {
                throw new IllegalArgumentException("chart size: expected at least 100x100 pixels, found " + width
                        + "x" + height);
            }
        }
    }

    private static XYChart chart(String title, String x, String y, Size size) {
        XYChart c = new XYChartBuilder().width(size.width()).height(size.height()).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        var s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendPosition(LegendPosition.InsideNE);
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setSeriesColors(PALETTE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAntiAlias(true);
        return c;
    }

    /**
     * Alibi's {@code plot_instance_score}: instance score against instance index, normal data then outliers, coloured
     * by label, with the threshold as a dashed line.
     */
    public static XYChart instanceScores(float[] in, float[] ood, double threshold, Size size) {
        XYChart c = chart("Instance scores", "instance", "instance score", size);
        c.getStyler().setLegendPosition(LegendPosition.OutsideS);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setXAxisTickMarkSpacingHint(140);
        c.getStyler().setXAxisDecimalPattern("#");
        scatter(c, "normal (" + in.length + ")", 0, in, NORMAL);
        scatter(c, "outlier (" + ood.length + ")", in.length, ood, OUTLIER);
        if (Double.isFinite(threshold)) {
            int n = Math.max(1, in.length + ood.length - 1);
            line(c, "threshold " + Format.number(threshold), new double[] {0, n},
                    new double[] {threshold, threshold}, Color.BLACK, true);
        }
        return c;
    }

    private static void scatter(XYChart c, String name, int offset, float[] y, Color colour) {
        if (y.length == 0) {
            return;
        }
        double[] xs = new double[y.length];
        double[] ys = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            xs[i] = offset + i;
            ys[i] = y[i];
        }
        XYSeries s = c.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 150));
    }

    private static XYSeries line(XYChart c, String name, double[] x, double[] y, Color colour, boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        if (colour != null) {
            s.setLineColor(colour);
        }
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {6, 4}, 0));
        }
        return s;
    }

    /**
     * Histograms of the instance scores of normal data and of outliers over the same {@code bins} bins (as a share of
     * each set, so sets of different sizes compare), with the threshold.
     */
    public static XYChart histogram(float[] in, float[] ood, double threshold, int bins, Size size) {
        XYChart c = chart("Score histogram", "instance score", "share of the set", size);
        c.getStyler().setLegendPosition(LegendPosition.OutsideS);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] a : List.of(in, ood)) {
            for (float v : a) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double width = (hi - (double) lo) / bins;
        double top = 0;
        for (int k = 0; k < 2; k++) {
            float[] a = k == 0 ? in : ood;
            if (a.length == 0) {
                continue;
            }
            double[] share = new double[bins + 1];
            for (float v : a) {
                share[Math.min(bins - 1, (int) ((v - lo) / width))] += 1.0 / a.length;
            }
            share[bins] = share[bins - 1];
            double[] x = new double[bins + 1];
            for (int b = 0; b <= bins; b++) {
                x[b] = lo + b * width;
                top = Math.max(top, share[b]);
            }
            Color colour = k == 0 ? NORMAL : OUTLIER;
            XYSeries s = c.addSeries(k == 0 ? "normal" : "outlier", x, share);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.StepArea);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colour);
            s.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 90));
        }
        if (Double.isFinite(threshold) && threshold >= lo && threshold <= hi) {
            line(c, "threshold", new double[] {threshold, threshold}, new double[] {0, top}, Color.BLACK, true);
        }
        return c;
    }

    /**
     * ROC curves (FPR → TPR) of one or more score columns on one chart, each named with its area, and the chance
     * diagonal.
     */
    public static XYChart roc(Map<String, Curve> curves, Map<String, Double> areas, Size size) {
        XYChart c = chart("ROC curve", "false-positive rate", "true-positive rate", size);
        c.getStyler().setLegendPosition(LegendPosition.InsideSE);
        curves(c, curves, areas, "AUROC");
        line(c, "chance", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, true);
        unitAxes(c);
        return c;
    }

    /** Precision-recall curves (recall → precision) of one or more score columns on one chart. */
    public static XYChart precisionRecall(Map<String, Curve> curves, Map<String, Double> areas, Size size) {
        XYChart c = chart("Precision-recall curve", "recall", "precision", size);
        c.getStyler().setLegendPosition(LegendPosition.InsideSW);
        curves(c, curves, areas, "AUPR");
        unitAxes(c);
        return c;
    }

    private static void curves(XYChart c, Map<String, Curve> curves, Map<String, Double> areas, String area) {
        for (Map.Entry<String, Curve> e : curves.entrySet()) {
            Double a = areas.get(e.getKey());
            String name = e.getKey() + (a == null ? "" : " (" + area + " " + String.format("%.4f", a) + ")");
            XYSeries s = line(c, name, e.getValue().x(), e.getValue().y(), null, false);
            s.setLineWidth(2f);
        }
    }

    private static void unitAxes(XYChart c) {
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.05);
    }

    /** One line per named series over common x values, with markers (e.g. score against mask size). */
    public static XYChart lines(String title, String x, String y, double[] xs, Map<String, double[]> series,
            Size size) {
        XYChart c = chart(title, x, y, size);
        c.getStyler().setLegendPosition(LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(7);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = c.addSeries(e.getKey(), xs, e.getValue());
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineWidth(2f);
        }
        return c;
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("chart: cannot encode PNG: " + e.getMessage(), e);
        }
    }
}
