package io.oddball.runtime.pipeline;

import io.oddball.api.MapParams;
import io.oddball.api.Params;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import io.oddball.api.error.DidYouMean;
import io.oddball.runtime.data.DataFormats;
import io.oddball.runtime.data.InputFiles;
import io.oddball.runtime.data.Shapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens data with the reader of its format (from the file's extension unless named): a file as it is
 * ({@link #open}), a file in the shape a fitted pipeline takes ({@link #openFor}), or a data block of a YAML pipeline,
 * problems recorded on the block ({@link #openBlock}). Opening reads what the reader needs to know the data's shape
 * (a header, a first row, or the first image when no size is given); Oddball's own readers are plain Java and run no
 * native code but the JDK's own (zlib for {@code .gz}, {@code .npz} and PNG, its JPEG decoder).
 */
public final class DataOpener {
    private final Map<String, DataReaderProvider> readers;

    public DataOpener(Map<String, DataReaderProvider> readers) {
        this.readers = Map.copyOf(readers);
    }

    /** Opens a data file (format from the extension unless given) with reader options. */
    public Dataset open(Path file, String format, Map<String, Object> options) {
        if (!Files.exists(file)) {
            throw new ConfigException(file + ": expected a data file or folder, found no such file");
        }
        DataReaderProvider reader = DataFormats.resolve(file, format, readers);
        Params p = Params.of(options == null ? Map.of() : options, "options", null);
        Dataset d = reader.open(file, p);
        p.finish();
        return d;
    }

    /**
     * Opens data to score with {@code pipeline}: as {@link #open}, and when the data are image files (a PNG/JPEG
     * file or folder) with no {@code size}/{@code channels} option, they are resized to the detector's input height
     * and width and read with its channel count, so a photo of any size can be scored. Instances of {@code HxW} are
     * read as {@code HxWx1} (and the other way round) where the pipeline takes those.
     *
     * @throws DataException naming the file when its instances have another shape than the pipeline's input, with the
     *     {@code -O shape=...} option that fixes it when the number of values per instance is right
     */
    public Dataset openFor(Pipeline pipeline, Path file, String format, Map<String, Object> options) {
        Map<String, Object> o = new LinkedHashMap<>(options == null ? Map.of() : options);
        Shape in = pipeline.inputShape();
        if (Files.exists(file) && in != null && in.rank() == 3
                && "images".equals(DataFormats.resolve(file, format, readers).name())) {
            o.putIfAbsent("size", List.of(in.dim(0), in.dim(1)));
            o.putIfAbsent("channels", in.dim(2));
        }
        Dataset d = open(file, format, o);
        if (in == null || d.instanceShape().equals(in)) {
            return d;
        }
        if (Shapes.sameLayout(d.instanceShape(), in)) {
            return Shapes.reshape(d, in);
        }
        throw new DataException(d.name() + ": expected " + Shapes.describe(in) + " (the detector's input), found "
                + Shapes.mismatch(d.instanceShape(), in, false));
    }

    /**
     * Opens a data block ({@code path}, {@code format}, reader options) of a pipeline, or returns null when it cannot;
     * with {@code expected} (the training data's instance shape), data of the same layout are read in that shape and
     * any other shape is a problem naming the block's path, with the {@code shape:} option that fixes it where one
     * does. A missing file names {@code download}, the pipeline's way to get it, if given. Problems are recorded on
     * {@code p}.
     */
    Dataset openBlock(Params p, Path base, Shape expected, String download) {
        String path = p.requireString("path");
        String format = p.getString("format", null);
        if (path == null) {
            return null;
        }
        if (path.isBlank()) {
            p.problem("path", "a file or folder path", "''");
            p.keys().forEach(p::getRaw);
            return null;
        }
        Path file;
        try {
            file = resolve(base, path);
        } catch (java.nio.file.InvalidPathException e) {
            p.problem("path", "a file or folder path", new Described("'" + path + "' (" + e.getReason() + ")"));
            p.keys().forEach(p::getRaw);
            return null;
        }
        if (!Files.exists(file)) {
            p.problem("path", "an existing file or folder (looked for " + file + ")",
                    download == null ? path : new Described("'" + path + "' (run " + download + " to get it)"));
            p.keys().forEach(p::getRaw);
            return null;
        }
        if (!InputFiles.readable(file, true)) {
            // exists but cannot be read (a FIFO would block, a device never end): a data error, as for a file
            // of the wrong content, but named by its place in the pipeline
            String where = p instanceof MapParams m ? m.where("path") : "path";
            throw new DataException(where + ": " + InputFiles.expected(true) + ", found " + InputFiles.kind(file)
                    + " (" + file + ")");
        }
        DataReaderProvider reader;
        try {
            reader = DataFormats.resolve(file, format, readers);
        } catch (ConfigException e) {
            p.problem(format != null ? "format" : "path", format != null ? "a known data format "
                    + List.copyOf(readers.keySet()) : "a file of a known format (" + e.getMessage() + ")",
                    format != null ? new Described("'" + format + "'" + DidYouMean.hint(format, readers.keySet()))
                            : path);
            p.keys().forEach(p::getRaw);
            return null;
        }
        Dataset d = reader.open(file, p);
        if (expected == null || d.instanceShape().equals(expected)) {
            return d;
        }
        if (Shapes.sameLayout(d.instanceShape(), expected)) {
            return Shapes.reshape(d, expected);
        }
        p.problem("path", Shapes.describe(expected) + " (as data.train)",
                new Described(Shapes.mismatch(d.instanceShape(), expected, true)));
        return d;
    }

    /**
     * A path in a pipeline: relative to the YAML file's folder, or, when nothing is there, to the working directory
     * (so {@code ../shared/data/...} works from the project root as in the examples).
     */
    static Path resolve(Path base, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        Path fromFile = base.resolve(p).normalize();
        if (Files.exists(fromFile)) {
            return fromFile;
        }
        Path fromCwd = p.toAbsolutePath().normalize();
        return Files.exists(fromCwd) ? fromCwd : fromFile;
    }
}
