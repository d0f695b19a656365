package io.oddball.runtime.data;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads IDX files (MNIST, Fashion-MNIST; gzipped or not), the big-endian format of LeCun's MNIST page: a magic number
 * {@code 0x0000TTRR} (type code, rank), the dimensions, then the values. Instances are the first dimension; an
 * {@code N×H×W} file gives instances of shape {@code H×W×1}, {@code N×F} gives {@code F}, {@code N} gives {@code 1}.
 * Element types: unsigned/signed byte, short, int, float, double.
 *
 * <p>Options: {@code labels} (path of an IDX label file; default the sibling file named with
 * {@code -labels-idx1-ubyte} in place of {@code -images-idx3-ubyte} when it exists; {@code false} for none),
 * {@code maxBytes} (see {@link DataLimits}).
 */
public final class IdxReaderProvider extends AbstractReaderProvider {
    /** Format name. */
    public static final String NAME = "idx";

    private static final Logger LOG = LoggerFactory.getLogger(IdxReaderProvider.class);
    private static final String IMAGES_MARKER = "-images-idx3-ubyte";
    private static final String LABELS_MARKER = "-labels-idx1-ubyte";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return List.of("-ubyte", "-ubyte.gz", ".idx", ".idx.gz");
    }

    @Override
    RecordDataset openRecords(Path path, Params options) {
        long maxBytes = DataLimits.maxBytes(options);
        Header images = Header.of(path, maxBytes);
        Path labelsPath = labelsPath(path, options);
        Header labels = null;
        if (labelsPath != null) {
            requireExists(labelsPath, false);
            labels = Header.of(labelsPath, maxBytes);
            if (labels.dims.length != 1 || !labels.type.integral()) {
                throw new DataException(labelsPath + ": expected a rank-1 IDX file of integer labels, found "
                        + labels.describe());
            }
            if (labels.dims[0] != images.dims[0]) {
                throw new DataException(labelsPath + ": expected " + images.dims[0] + " labels (one per record of "
                        + path + "), found " + labels.dims[0]);
            }
            LOG.debug("{}: labels from {}", path, labelsPath);
        }
        return new IdxDataset(path, images, labelsPath, labels, maxBytes);
    }

    /** The labels option, else the sibling label file when it exists; null for none. */
    private static Path labelsPath(Path path, Params options) {
        Object raw = options.getRaw("labels");
        if (Boolean.FALSE.equals(raw)) {
            return null;
        }
        if (raw != null) {
            return Path.of(String.valueOf(raw));
        }
        return siblingLabels(path);
    }

    /** {@code x-images-idx3-ubyte(.gz)} → {@code x-labels-idx1-ubyte(.gz)} if that file exists, else null. */
    static Path siblingLabels(Path images) {
        Path fileName = images.getFileName();
        if (fileName == null || !fileName.toString().contains(IMAGES_MARKER)) {
            return null;
        }
        Path sibling = images.resolveSibling(fileName.toString().replace(IMAGES_MARKER, LABELS_MARKER));
        return Files.isRegularFile(sibling) ? sibling : null;
    }

    private static Shape shapeOfInstances(int[] dims) {
        return switch (dims.length) {
            case 1 -> Shape.of(1);
            case 3 -> Shape.of(dims[1], dims[2], 1);
            default -> Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
        };
    }

    /** An IDX header: element type and dimensions, checked against the file length when it is known. */
    private static final class Header {
        private static final int MAX_RANK = 8;

        private final ElementType type;
        private final int[] dims;
        private final int recordBytes;

        private Header(ElementType type, int[] dims, int recordBytes) {
            this.type = type;
            this.dims = dims;
            this.recordBytes = recordBytes;
        }

        int headerBytes() {
            return 4 + 4 * dims.length;
        }

        String describe() {
            return type.name().toLowerCase(java.util.Locale.ROOT) + " " + Shape.of(dims);
        }

        /** The records of {@code file}, which has this header. */
        FixedRecords records(Path file, long maxBytes) {
            return new FixedRecords(() -> RecordInput.open(file, maxBytes), Header::read, type, ByteOrder.BIG_ENDIAN,
                    dims[0], recordBytes / type.bytes());
        }

        /** Reads and checks the header of {@code file}, and its payload length when not compressed. */
        static Header of(Path file, long maxBytes) {
            try (RecordInput in = RecordInput.open(file, maxBytes)) {
                Header h = read(in);
                in.expectPayload(h.headerBytes(), h.dims[0], h.recordBytes, "from the dimensions " + h.describe());
                return h;
            }
        }

        /** Reads the header from the start of {@code in}. */
        static Header read(RecordInput in) {
            byte[] magic = new byte[4];
            in.readFully(magic, 4, "the IDX magic number");
            String hex = "0x" + HexFormat.of().formatHex(magic);
            if (magic[0] != 0 || magic[1] != 0) {
                throw in.error("the IDX magic number", 0, "two zero bytes, a type code and a rank (e.g. 0x00000803)",
                        hex);
            }
            ElementType type = switch (magic[2]) {
                case 0x08 -> ElementType.UINT8;
                case 0x09 -> ElementType.INT8;
                case 0x0B -> ElementType.INT16;
                case 0x0C -> ElementType.INT32;
                case 0x0D -> ElementType.FLOAT32;
                case 0x0E -> ElementType.FLOAT64;
                default -> throw in.error("the IDX magic number", 0,
                        "a type code 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e in byte 2", hex);
            };
            int rank = magic[3] & 0xFF;
            if (rank < 1 || rank > MAX_RANK) {
                throw in.error("the IDX magic number", 0, "a rank 1.." + MAX_RANK + " in byte 3", hex + " (rank "
                        + rank + ")");
            }
            byte[] raw = new byte[4 * rank];
            in.readFully(raw, raw.length, "the IDX dimensions");
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
            int[] dims = new int[rank];
            long record = type.bytes();
            for (int i = 0; i < rank; i++) {
                dims[i] = b.getInt();
                if (dims[i] < (i == 0 ? 0 : 1)) {
                    throw in.error("IDX dimension " + i, 4 + 4L * i, "a size >= " + (i == 0 ? 0 : 1),
                            Integer.toUnsignedString(dims[i]));
                }
                if (i > 0) {
                    // capped so that eight dimensions of 2^31 cannot overflow a long
                    record = Math.min(record * dims[i], Long.MAX_VALUE / Integer.MAX_VALUE);
                }
            }
            if (record > Integer.MAX_VALUE / 4) {
                throw in.error("the IDX dimensions", 4, "a record of at most " + Integer.MAX_VALUE / 4 + " bytes",
                        Shape.of(dims));
            }
            if (in.length() < 0) {
                // compressed: the exact length is unknown, but the header must fit what the file can expand to
                // (uncompressed files get the exact check of expectPayload instead)
                in.expectWithinBound(4 + 4L * rank, dims[0], record, "the IDX dimensions", 4, Shape.of(dims));
            }
            return new Header(type, dims, (int) record);
        }
    }

    /** The records of an IDX file, with labels from a second IDX file. */
    private static final class IdxDataset extends RecordDataset {
        private final FixedRecords images;
        private final FixedRecords labels;

        IdxDataset(Path path, Header images, Path labelsPath, Header labels, long maxBytes) {
            super(path.toString(), shapeOfInstances(images.dims), OptionalLong.of(images.dims[0]), labels != null);
            this.images = images.records(path, maxBytes);
            this.labels = labels == null ? null : labels.records(labelsPath, maxBytes);
        }

        @Override
        RecordCursor open() {
            return FixedRecords.cursor(images, labels);
        }
    }
}
