package io.oddball.runtime.data;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads PNG and JPEG images with {@code javax.imageio}: a folder (searched recursively, files sorted by their path
 * for a deterministic order) or a single {@code .png}/{@code .jpg}/{@code .jpeg} file. Instances are
 * {@code H×W×C}, channels last, values 0..255 as floats; see {@link ImagePixels} for the channel order (RGB) and
 * the resizing (bilinear, half-pixel centres).
 *
 * <p>Options: {@code size} ({@code [H, W]} to resize every image to; default the first image's size, which every
 * other image must then have), {@code channels} (3 for RGB, 1 for grey; default 3), {@code labelsFromFolders}
 * (label each image with the index of its first-level sub-folder in the sorted list of sub-folder names; default
 * false), {@code maxImagePixels} (the most pixels an image may declare in its header, checked before decoding;
 * default {@link DataLimits#MAX_IMAGE_PIXELS}). Files in a folder that are not regular files (a FIFO, a device) are
 * skipped; an image the decoder warns about (a JPEG cut short) is refused.
 */
public final class ImagesReaderProvider extends AbstractReaderProvider {
    /** Format name. */
    public static final String NAME = "images";

    private static final Logger LOG = LoggerFactory.getLogger(ImagesReaderProvider.class);
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return EXTENSIONS;
    }

    @Override
    boolean acceptsDirectory() {
        return true;
    }

    @Override
    RecordDataset openRecords(Path path, Params options) {
        List<Double> size = options.getDoubleList("size", null);
        int channels = options.getInt("channels", 3);
        if (channels != 1 && channels != 3) {
            options.problem("channels", "1 or 3", channels);
            channels = 3;
        }
        boolean labelsFromFolders = options.getBoolean("labelsFromFolders", false);
        long maxPixels = DataLimits.maxImagePixels(options);
        List<Path> files = list(path);
        int[] labels = labelsFromFolders ? folderLabels(path, files) : null;
        int h;
        int w;
        if (size != null && size.size() == 2 && size.stream().allMatch(s -> s >= 1 && s == Math.rint(s))) {
            h = size.get(0).intValue();
            w = size.get(1).intValue();
        } else {
            if (size != null) {
                options.problem("size", "[H, W], two integers >= 1", size);
            }
            BufferedImage first = read(files.get(0), maxPixels);
            h = first.getHeight();
            w = first.getWidth();
        }
        return new ImageDataset(path, files, labels, h, w, channels, size != null, maxPixels);
    }

    /** The image files under {@code path} (or {@code path} itself), sorted by path. */
    private static List<Path> list(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        // links are followed: a folder that is a link (or holds links) to images reads as the images; a link back to
        // a folder being walked (a loop, e.g. 'self -> .') is skipped, as find -L does, instead of failing the walk
        List<Path> files = new ArrayList<>();
        List<Path> loops = new ArrayList<>();
        try {
            Files.walkFileTree(path, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && isImage(file)) {
                                files.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                loops.add(file);
                                return FileVisitResult.CONTINUE;
                            }
                            if (Files.isSymbolicLink(file) && !Files.exists(file)) {
                                return FileVisitResult.CONTINUE; // a link to nothing holds no image
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw RecordInput.failure(path, "a readable folder", e);
        }
        if (!loops.isEmpty()) {
            LOG.warn("{}: skipped {} symbolic link(s) leading back to a folder being read (a loop), e.g. {}", path,
                    loops.size(), loops.get(0));
        }
        if (files.isEmpty()) {
            throw new DataException(path + ": expected a folder with .png, .jpg or .jpeg files, found none");
        }
        files.sort(null);
        return files;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Index of each file's first-level sub-folder among the sorted sub-folder names. */
    private static int[] folderLabels(Path root, List<Path> files) {
        List<String> folders = new ArrayList<>();
        String[] folderOf = new String[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Path rel = Files.isDirectory(root) ? root.relativize(files.get(i)) : files.get(i).getFileName();
            if (rel.getNameCount() < 2) {
                throw new DataException(files.get(i) + ": expected the image in a class sub-folder of " + root
                        + " (labelsFromFolders: true), found it directly in the folder");
            }
            folderOf[i] = rel.getName(0).toString();
            if (!folders.contains(folderOf[i])) {
                folders.add(folderOf[i]);
            }
        }
        folders.sort(null);
        LOG.info("{}: class labels from folders {}", root, folders);
        int[] labels = new int[files.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = folders.indexOf(folderOf[i]);
        }
        return labels;
    }

    /**
     * Decodes one image; a file javax.imageio cannot decode is a DataException naming it. The image's size is read from
     * its header first, and an image of more than {@code maxPixels} pixels is refused before it is decoded; an image
     * the decoder warns about (a JPEG cut short, whose missing rows it would fill in) is refused too.
     */
    static BufferedImage read(Path file, long maxPixels) {
        if (!Files.isRegularFile(file)) {
            String kind = InputFiles.kind(file);
            throw new DataException(file + ": " + InputFiles.expected(false) + ", found "
                    + (kind == null ? "nothing (file not found)" : kind));
        }
        // from the file itself, so ImageIO needs no temporary cache file as it would for a stream
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return read(in, file.toString(), maxPixels);
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw broken(file.toString(), e);
        }
    }

    /**
     * Decodes the PNG or JPEG file held in {@code bytes} (e.g. sent to a server) as {@link #read(Path, long)} decodes
     * a file, with the same checks (size from the header against {@code maxPixels}, damaged data refused); errors
     * name {@code name}.
     */
    public static BufferedImage decode(byte[] bytes, String name, long maxPixels) {
        try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(
                new java.io.ByteArrayInputStream(bytes))) {
            return read(in, name, maxPixels);
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw broken(name, e);
        }
    }

    /**
     * The decoded file's pixels as {@code height×width×channels} floats 0..255 (channels 1: luma, 3: RGB), resized
     * bilinearly when the image has another size, as the {@code images} reader with {@code size: [H, W]} reads it.
     */
    public static float[] pixels(BufferedImage image, int height, int width, int channels) {
        float[] pixels = ImagePixels.pixels(image, channels);
        int h = image.getHeight();
        int w = image.getWidth();
        if (h == height && w == width) {
            return pixels;
        }
        float[] out = new float[height * width * channels];
        ImagePixels.resize(pixels, h, w, channels, out, 0, height, width);
        return out;
    }

    /**
     * As {@link #read(Path, long)}, from an open stream; {@code name} names the image in messages (a file, a row).
     */
    static BufferedImage read(ImageInputStream in, String name, long maxPixels) {
        try {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(name + ": expected a PNG or JPEG image, found data no image reader "
                        + "recognises");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > maxPixels) {
                    throw new DataException(name + ": expected an image of at most " + maxPixels + " pixels (reader "
                            + "option " + DataLimits.MAX_IMAGE_PIXELS_OPTION + "), found " + w + "x" + h + " ("
                            + w * h + " pixels) in its header");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                // warnings ending "; ignored" (an invalid colour profile, a marker in a thumbnail) leave the
                // pixels intact; any other (premature end, corrupt data) means decoded pixels were made up
                List<String> damage = warnings.stream().filter(m -> m == null || !m.endsWith("ignored")).toList();
                if (!damage.isEmpty()) {
                    throw new DataException(name + ": expected an intact image, found damaged image data (the "
                            + "decoder warns: " + String.join("; ", damage.stream().map(String::valueOf).toList())
                            + ")");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw broken(name, e);
        }
    }

    private static DataException broken(String name, Exception e) {
        return new DataException(name + ": expected a readable PNG or JPEG image, found broken image data ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }

    /** The images of a list of files. */
    private static final class ImageDataset extends RecordDataset {
        private final List<Path> files;
        private final int[] labels;
        private final int height;
        private final int width;
        private final int channels;
        private final boolean resize;
        private final long maxPixels;

        ImageDataset(Path root, List<Path> files, int[] labels, int height, int width, int channels, boolean resize,
                long maxPixels) {
            super(root.toString(), Shape.of(height, width, channels), OptionalLong.of(files.size()), labels != null);
            this.files = files;
            this.labels = labels;
            this.height = height;
            this.width = width;
            this.channels = channels;
            this.resize = resize;
            this.maxPixels = maxPixels;
        }

        @Override
        RecordCursor open() {
            return new RecordCursor() {
                private int index;

                @Override
                public boolean next(float[] dst, int offset) {
                    if (index >= files.size()) {
                        return false;
                    }
                    Path file = files.get(index);
                    BufferedImage image = read(file, maxPixels);
                    float[] pixels = ImagePixels.pixels(image, channels);
                    int h = image.getHeight();
                    int w = image.getWidth();
                    if (h == height && w == width) {
                        System.arraycopy(pixels, 0, dst, offset, pixels.length);
                    } else if (resize) {
                        ImagePixels.resize(pixels, h, w, channels, dst, offset, height, width);
                    } else {
                        throw new DataException(file + ": expected " + height + "x" + width
                                + " pixels (the first image's size; set size: [H, W] to resize), found " + h + "x" + w);
                    }
                    index++;
                    return true;
                }

                @Override
                public int label() {
                    return labels[index - 1];
                }

                @Override
                public void close() {
                    // each image file is opened and closed in read()
                }
            };
        }
    }
}
