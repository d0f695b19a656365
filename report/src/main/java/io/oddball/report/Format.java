package io.oddball.report;

import java.util.Locale;

/** Number formatting shared by the report's tables, charts and CSV: locale-independent, short but exact enough. */
final class Format {
    private Format() {
    }

    /** Four decimals for metrics in [0, 1]. */
    static String metric(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A component as {@code top-percent outlierPerc=75}. */
    static String spec(io.oddball.runtime.pipeline.ComponentSpec c) {
        StringBuilder b = new StringBuilder(c.type());
        c.params().forEach((k, v) -> b.append(' ').append(k).append('=')
                .append(v instanceof Number n ? number(n.doubleValue()) : String.valueOf(v)));
        return b.toString();
    }

    /** Six significant digits for scores and thresholds. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }
}
