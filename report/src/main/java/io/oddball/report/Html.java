package io.oddball.report;

import java.util.Base64;
import java.util.List;

/**
 * A small builder of one self-contained XHTML page (well-formed XML, so it parses with {@code javax.xml} as well as in
 * browsers): inline CSS, images as base64 PNG data URIs, no external links. Text is escaped on the way in.
 */
final class Html {
    private static final String CSS = """
            body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1180px;\
            color:#222;padding:0 16px}
            h1{font-size:26px;margin-bottom:4px}h2{font-size:19px;border-bottom:1px solid #ddd;padding-bottom:4px;\
            margin-top:32px}
            .sub{color:#666;margin-top:0}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 10px;text-align:right}
            th{background:#f4f4f4}td.l,th.l{text-align:left}
            .grid{display:flex;flex-wrap:wrap;gap:12px}.grid img{border:1px solid #eee}
            .note{color:#666;font-style:italic}
            .cols{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.cols section{flex:1 1 540px}
            table.kv td{text-align:left}
            
            """;
    private final StringBuilder b = new StringBuilder();

    /** Starts the page with its title. */
    Html(String title) {
        b.append("<!DOCTYPE html>\n")
                .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"UTF-8\"/>\n<title>").append(escape(title)).append("</title>\n<style>")
                .append(CSS).append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A paragraph of plain text with a CSS class (null for none). */
    Html paragraph(String cssClass, String text) {
        b.append("<p").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append('>').append(escape(text))
                .append("</p>\n");
        return this;
    }

    /** Opens {@code <section id=...>} with a heading. */
    Html section(String id, String heading) {
        b.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(heading)).append("</h2>\n");
        return this;
    }

    Html endSection() {
        b.append("</section>\n");
        return this;
    }

    /** Opens a {@code div} of a CSS class. */
    Html div(String cssClass) {
        b.append("<div class=\"").append(cssClass).append("\">\n");
        return this;
    }

    Html endDiv() {
        b.append("</div>\n");
        return this;
    }

    /** A table: the first row is the header; cells of the first column are left-aligned. */
    Html table(String id, List<List<String>> rows) {
        return table(id, null, rows);
    }

    /** A table of a CSS class ({@code kv}: every cell left-aligned). */
    Html table(String id, String cssClass, List<List<String>> rows) {
        b.append("<table").append(id == null ? "" : " id=\"" + id + "\"")
                .append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append(">\n");
        for (int r = 0; r < rows.size(); r++) {
            b.append("<tr>");
            List<String> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                String tag = r == 0 ? "th" : "td";
                b.append('<').append(tag).append(c == 0 ? " class=\"l\"" : "").append('>')
                        .append(escape(row.get(c))).append("</").append(tag).append('>');
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        return this;
    }

    /** An embedded PNG image with its alternative text and pixel size. */
    Html image(byte[] png, String alt, int width, int height) {
        b.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\" alt=\"").append(escape(alt)).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\"/>\n");
        return this;
    }

    /** Closes the page and returns it. */
    String finish() {
        return b + "</body>\n</html>\n";
    }
}
