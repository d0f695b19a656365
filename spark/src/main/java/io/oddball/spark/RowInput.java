package io.oddball.spark;

import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.runtime.data.DataLimits;
import io.oddball.runtime.data.ImageBytes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How the input column(s) of a row become one raw instance of the detector: the kind is chosen on the driver from the
 * schema, and each row is converted on the executors; a row that cannot be (a null, a wrong length, a value that is
 * not finite, an image that does not decode) is a {@link DataException} whose message names the column and what was
 * expected, caught per row by {@link PartitionScorer}.
 */
final class RowInput implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<String> IMAGE_FIELDS = Set.of("height", "width", "nChannels", "data");

    /** What the input column holds. */
    enum Kind {
        /** {@code array<float|double|int|...>}. */
        ARRAY,
        /** Spark ML {@code Vector} (dense or sparse). */
        VECTOR,
        /** several numeric columns, one value each. */
        COLUMNS,
        /** the bytes of a PNG or JPEG file ({@code binaryFile}'s {@code content}). */
        ENCODED_IMAGE,
        /** the {@code image} data source's struct (interleaved BGR bytes). */
        IMAGE_STRUCT
    }

    private final Kind kind;
    private final String[] names;
    private final int[] fields;
    private final int nameField;

    private RowInput(Kind kind, String[] names, int[] fields, int nameField) {
        this.kind = kind;
        this.names = names;
        this.fields = fields;
        this.nameField = nameField;
    }

    /**
     * The input of {@code cols} in {@code schema}: one column of an array, vector, binary or image type, or several
     * numeric columns.
     *
     * @throws IllegalArgumentException naming the column when it is missing or of another type
     */
    static RowInput of(StructType schema, List<String> cols) {
        if (cols.isEmpty()) {
            throw new IllegalArgumentException("OddballModel: expected inputCol or inputCols to be set, found neither");
        }
        int[] idx = new int[cols.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = index(schema, cols.get(i));
        }
        String[] names = cols.toArray(String[]::new);
        if (cols.size() > 1) {
            for (int i = 0; i < idx.length; i++) {
                DataType t = schema.fields()[idx[i]].dataType();
                if (!(t instanceof NumericType)) {
                    throw new IllegalArgumentException("inputCols: column '" + names[i] + "': expected a numeric "
                            + "column, found " + t.simpleString());
                }
            }
            return new RowInput(Kind.COLUMNS, names, idx, -1);
        }
        DataType t = schema.fields()[idx[0]].dataType();
        Kind kind;
        int nameField = -1;
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
            kind = Kind.ARRAY;
        } else if (t instanceof VectorUDT) {
            kind = Kind.VECTOR;
        } else if (t instanceof NumericType) {
            kind = Kind.COLUMNS;
        } else if (t instanceof BinaryType) {
            kind = Kind.ENCODED_IMAGE;
            // binaryFile's path names a row's image in messages
            nameField = Arrays.asList(schema.fieldNames()).indexOf("path");
        } else if (t instanceof StructType s && Arrays.asList(s.fieldNames()).containsAll(IMAGE_FIELDS)) {
            kind = Kind.IMAGE_STRUCT;
        } else {
            throw new IllegalArgumentException("inputCol '" + names[0] + "': expected array<float>, array<double>, "
                    + "a ML Vector, binary image bytes (binaryFile's content) or an image struct (the image data "
                    + "source), found " + t.simpleString() + "; for several numeric columns set inputCols");
        }
        return new RowInput(kind, names, idx, nameField);
    }

    private static int index(StructType schema, String col) {
        List<String> all = Arrays.asList(schema.fieldNames());
        int i = all.indexOf(col);
        if (i < 0) {
            throw new IllegalArgumentException("input column '" + col + "': expected a column of the DataFrame, "
                    + "found none of that name (columns: " + String.join(", ", all) + ")");
        }
        return i;
    }

    Kind kind() {
        return kind;
    }

    /** How messages name the input: {@code column 'x'} or {@code columns a, b, c}. */
    String describe() {
        return names.length == 1 ? "column '" + names[0] + "'" : "columns " + String.join(", ", names);
    }

    /** What names a row's source in messages beside its position (binaryFile's path, an image's origin), or null. */
    String source(Row row) {
        if (nameField >= 0 && !row.isNullAt(nameField)) {
            return String.valueOf(row.get(nameField));
        }
        if (kind == Kind.IMAGE_STRUCT && !row.isNullAt(fields[0])) {
            Row img = row.getStruct(fields[0]);
            int o = Arrays.asList(img.schema().fieldNames()).indexOf("origin");
            return o >= 0 && !img.isNullAt(o) ? img.getString(o) : null;
        }
        return null;
    }

    /**
     * The raw instance of {@code row}, {@code shape.size()} finite floats.
     *
     * @throws DataException when the row cannot be one
     */
    float[] read(Row row, Shape shape) {
        float[] x = switch (kind) {
            case ARRAY -> array(row);
            case VECTOR -> vector(row);
            case COLUMNS -> columns(row);
            case ENCODED_IMAGE -> encodedImage(row, shape);
            case IMAGE_STRUCT -> imageStruct(row, shape);
        };
        if (shape != null && x.length != shape.size()) {
            throw new DataException(describe() + ": expected " + shape.size() + " values (the detector's input "
                    + shape + "), found " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new DataException(describe() + ", value " + i + ": expected a finite number, found " + x[i]);
            }
        }
        return x;
    }

    private void requireNotNull(Row row, int k) {
        if (row.isNullAt(fields[k])) {
            throw new DataException("column '" + names[k] + "': expected a value, found null");
        }
    }

    private float[] array(Row row) {
        requireNotNull(row, 0);
        List<Object> values = row.getList(fields[0]);
        float[] x = new float[values.size()];
        for (int i = 0; i < x.length; i++) {
            Object v = values.get(i);
            if (v == null) {
                throw new DataException(describe() + ", value " + i + ": expected a number, found null");
            }
            x[i] = ((Number) v).floatValue();
        }
        return x;
    }

    private float[] vector(Row row) {
        requireNotNull(row, 0);
        double[] d = ((Vector) row.get(fields[0])).toArray();
        float[] x = new float[d.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) d[i];
        }
        return x;
    }

    private float[] columns(Row row) {
        float[] x = new float[fields.length];
        for (int i = 0; i < fields.length; i++) {
            requireNotNull(row, i);
            x[i] = ((Number) row.get(fields[i])).floatValue();
        }
        return x;
    }

    private static int[] imageShape(Shape shape, String what) {
        if (shape == null || shape.rank() != 3 || (shape.dim(2) != 1 && shape.dim(2) != 3)) {
            // a setup error, not a row's: thrown past the per-row handling
            throw new IllegalStateException(what + ": expected a detector of images (input HxWx1 or HxWx3), found "
                    + "one whose input is " + shape);
        }
        return shape.dims();
    }

    private float[] encodedImage(Row row, Shape shape) {
        requireNotNull(row, 0);
        int[] d = imageShape(shape, describe());
        byte[] bytes = (byte[]) row.get(fields[0]);
        return ImageBytes.decode(bytes, describe(), d[0], d[1], d[2], DataLimits.MAX_IMAGE_PIXELS);
    }

    private float[] imageStruct(Row row, Shape shape) {
        requireNotNull(row, 0);
        int[] d = imageShape(shape, describe());
        Row img = row.getStruct(fields[0]);
        List<String> f = new ArrayList<>(Arrays.asList(img.schema().fieldNames()));
        Object h = img.get(f.indexOf("height"));
        Object w = img.get(f.indexOf("width"));
        Object c = img.get(f.indexOf("nChannels"));
        Object data = img.get(f.indexOf("data"));
        if (h == null || w == null || c == null || data == null || ((Number) h).intValue() < 1) {
            // the image source's row for a file it could not decode (dropInvalid=false)
            throw new DataException(describe() + ": expected a decoded image, found an invalid one (height "
                    + h + ", width " + w + ", nChannels " + c + ")");
        }
        return ImageBytes.fromBgr((byte[]) data, ((Number) h).intValue(), ((Number) w).intValue(),
                ((Number) c).intValue(), describe(), d[0], d[1], d[2]);
    }
}
