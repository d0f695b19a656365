package io.oddball.runtime.data;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the CIFAR-10 binary format ({@code data_batch_1.bin}, gzipped or not): headerless 3073-byte records of one
 * label byte (0..9) and 3072 pixel bytes stored as planes (1024 R, 1024 G, 1024 B, each row-major 32×32). Instances
 * come out channels last, {@code 32×32×3} in RGB order, values 0..255; labels are the class bytes. The size is known
 * up front for an uncompressed file (its length / 3073), unknown for a gzipped one. Options: {@code maxBytes} (see
 * {@link DataLimits}).
 */
public final class Cifar10ReaderProvider extends AbstractReaderProvider {
    /** Format name. */
    public static final String NAME = "cifar10";

    static final int SIDE = 32;
    static final int CHANNELS = 3;
    static final int PLANE = SIDE * SIDE;
    static final int RECORD = 1 + CHANNELS * PLANE;
    static final int CLASSES = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return List.of(".bin", ".bin.gz");
    }

    @Override
    RecordDataset openRecords(Path path, Params options) {
        OptionalLong size = OptionalLong.empty();
        long maxBytes = DataLimits.maxBytes(options);
        try (RecordInput in = RecordInput.open(path, maxBytes)) {
            if (!in.compressed()) {
                long records = in.length() / RECORD;
                in.expectPayload(0, in.length() % RECORD == 0 ? records : records + 1, RECORD,
                        "CIFAR-10 records of 1 label byte + 3072 pixel bytes");
                size = OptionalLong.of(records);
            }
        }
        return new RecordDataset(path.toString(), Shape.of(SIDE, SIDE, CHANNELS), size, true) {
            @Override
            RecordCursor open() {
                return new CifarCursor(RecordInput.open(path, maxBytes));
            }
        };
    }

    /** Reads one record at a time and converts it from planar to channels last. */
    private static final class CifarCursor implements RecordCursor {
        private final RecordInput in;
        private final byte[] record = new byte[RECORD];
        private long index;
        private int label;

        CifarCursor(RecordInput in) {
            this.in = in;
        }

        @Override
        public boolean next(float[] dst, int offset) {
            long start = in.offset();
            String what = "record " + index;
            int n = in.readUpTo(record, RECORD, what);
            if (n == 0) {
                return false;
            }
            if (n < RECORD) {
                throw in.truncated(what, start, RECORD, n);
            }
            label = record[0] & 0xFF;
            if (label >= CLASSES) {
                throw in.error(what, start, "a label byte 0.." + (CLASSES - 1), label);
            }
            for (int p = 0; p < PLANE; p++) {
                int o = offset + p * CHANNELS;
                dst[o] = record[1 + p] & 0xFF;
                dst[o + 1] = record[1 + PLANE + p] & 0xFF;
                dst[o + 2] = record[1 + 2 * PLANE + p] & 0xFF;
            }
            index++;
            return true;
        }

        @Override
        public int label() {
            return label;
        }

        @Override
        public void close() {
            in.close();
        }
    }
}
