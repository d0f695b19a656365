package io.oddball.runtime.data;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads delimited text rows ({@code .csv}, gzipped or not; UTF-8): each row is one instance of shape {@code F}, its
 * cells parsed as floats ({@code NaN} and {@code Infinity} accepted). Blank lines are skipped; a cell may be quoted
 * with {@code "} (quotes doubled inside), but not span lines.
 *
 * <p>Options: {@code header} (whether the first line names the columns; default true), {@code delimiter} (one
 * character, or {@code tab}; default {@code ,}), {@code labelColumn} (name, or 0-based index, of a column of integer
 * labels; default none), {@code columns} (names or 0-based indices of the feature columns, in the order given;
 * default every column but the label column), {@code maxBytes} (see {@link DataLimits}). A line may hold at most
 * {@link DataLimits#MAX_LINE_CHARS} characters. The size is unknown until read.
 */
public final class CsvReaderProvider extends AbstractReaderProvider {
    /** Format name. */
    public static final String NAME = "csv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return List.of(".csv", ".csv.gz");
    }

    @Override
    RecordDataset openRecords(Path path, Params options) {
        boolean header = options.getBoolean("header", true);
        String d = options.getString("delimiter", ",");
        char delimiter = ',';
        if (d.equals("tab") || d.equals("\t")) {
            delimiter = '\t';
        } else if (d.length() == 1) {
            delimiter = d.charAt(0);
        } else {
            options.problem("delimiter", "one character or 'tab'", d);
        }
        Object labelColumn = options.getRaw("labelColumn");
        Object columns = options.getRaw("columns");
        long maxBytes = DataLimits.maxBytes(options);
        List<String> first = firstRow(path, delimiter, maxBytes);
        List<String> names = header ? first : null;
        int width = first.size();
        int label = labelColumn == null ? -1 : column(path, labelColumn, names, width, options, "labelColumn");
        int[] features = features(path, columns, names, width, label, options);
        return new CsvDataset(path, header, delimiter, names, width, features, label, maxBytes);
    }

    /** The cells of the first non-blank line (header or first row). */
    private static List<String> firstRow(Path path, char delimiter, long maxBytes) {
        try (RecordInput in = RecordInput.open(path, maxBytes); LineReader r = in.lines()) {
            int lineNo = 1;
            for (String line = readLine(path, r, lineNo); line != null; line = readLine(path, r, ++lineNo)) {
                if (!line.isBlank()) {
                    return split(path, lineNo, line, delimiter);
                }
            }
            throw new DataException(path + ": expected a header or a row, found an empty file");
        } catch (IOException e) {
            throw RecordInput.failure(path, "readable text", e);
        }
    }

    /** Line {@code lineNo} (1-based), or null at the end; a line over the length limit is an error naming it. */
    private static String readLine(Path path, LineReader r, int lineNo) throws IOException {
        try {
            return r.readLine();
        } catch (LineReader.TooLong e) {
            throw new DataException(path + ": line " + lineNo + ": expected a line of at most " + r.maxChars()
                    + " characters, found more (no line break: not a CSV file?)");
        }
    }

    private static int[] features(Path path, Object columns, List<String> names, int width, int label,
            Params options) {
        List<Integer> out = new ArrayList<>();
        if (columns == null) {
            for (int i = 0; i < width; i++) {
                if (i != label) {
                    out.add(i);
                }
            }
        } else {
            for (Object c : columns instanceof List<?> list ? list : List.of(columns)) {
                out.add(column(path, c, names, width, options, "columns"));
            }
        }
        if (out.isEmpty()) {
            throw new DataException(path + ": expected at least one feature column, found none (" + width
                    + " columns, label column " + label + ")");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A column given by header name or 0-based index; problems are recorded on {@code options}. */
    private static int column(Path path, Object ref, List<String> names, int width, Params options, String key) {
        String s = String.valueOf(ref).trim();
        if (names != null && names.contains(s)) {
            return names.indexOf(s);
        }
        try {
            int i = Integer.parseInt(s);
            if (i >= 0 && i < width) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        options.problem(key, (names == null ? "a 0-based column index" : "a column of " + names + " or an index")
                + " below " + width + " (" + path + ")", ref);
        return 0;
    }

    /** Splits one line on {@code delimiter}, honouring double quotes. */
    static List<String> split(Path path, int lineNo, String line, char delimiter) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new DataException(path + ": line " + lineNo + ": expected a closing quote, found the end of the line");
        }
        cells.add(cell.toString());
        return cells;
    }

    /** The rows of a CSV file. */
    private static final class CsvDataset extends RecordDataset {
        private final Path path;
        private final boolean header;
        private final char delimiter;
        private final List<String> names;
        private final int width;
        private final int[] features;
        private final int label;
        private final long maxBytes;

        CsvDataset(Path path, boolean header, char delimiter, List<String> names, int width, int[] features,
                int label, long maxBytes) {
            super(path.toString(), Shape.of(features.length), OptionalLong.empty(), label >= 0);
            this.path = path;
            this.header = header;
            this.delimiter = delimiter;
            this.names = names == null ? null : List.copyOf(names);
            this.width = width;
            this.features = features;
            this.label = label;
            this.maxBytes = maxBytes;
        }

        private String where(int lineNo, int column) {
            return path + ": line " + lineNo + ", column " + (names == null ? "index " + column
                    : "'" + names.get(column) + "' (index " + column + ")");
        }

        @Override
        RecordCursor open() {
            RecordInput in = RecordInput.open(path, maxBytes);
            LineReader reader = in.lines();
            return new RecordCursor() {
                private int lineNo;
                private boolean headerSkipped = !header;
                private int lastLabel;

                @Override
                public boolean next(float[] dst, int offset) {
                    String line = readLine();
                    while (line != null && (line.isBlank() || !headerSkipped)) {
                        headerSkipped |= !line.isBlank();
                        line = readLine();
                    }
                    if (line == null) {
                        return false;
                    }
                    List<String> cells = split(path, lineNo, line, delimiter);
                    if (cells.size() != width) {
                        throw new DataException(path + ": line " + lineNo + ": expected " + width + " columns (as "
                                + (header ? "the header" : "the first row") + "), found " + cells.size());
                    }
                    for (int j = 0; j < features.length; j++) {
                        String cell = cells.get(features[j]).trim();
                        try {
                            dst[offset + j] = Float.parseFloat(cell);
                        } catch (NumberFormatException e) {
                            throw new DataException(where(lineNo, features[j]) + ": expected a number, found '" + cell
                                    + "'");
                        }
                    }
                    if (label >= 0) {
                        lastLabel = parseLabel(cells.get(label).trim());
                    }
                    return true;
                }

                private int parseLabel(String cell) {
                    try {
                        double v = Double.parseDouble(cell);
                        if (v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE) {
                            return (int) v;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    throw new DataException(where(lineNo, label) + ": expected an integer label, found '" + cell
                            + "'");
                }

                private String readLine() {
                    try {
                        lineNo++;
                        return CsvReaderProvider.readLine(path, reader, lineNo);
                    } catch (IOException e) {
                        throw RecordInput.failure(path + ": line " + lineNo, "readable text", e);
                    }
                }

                @Override
                public int label() {
                    return lastLabel;
                }

                @Override
                public void close() {
                    in.close();
                }
            };
        }
    }
}
