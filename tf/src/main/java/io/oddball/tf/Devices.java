package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.ConfigException;
import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;

/**
 * Device placement from the device name a {@link DetectorContext} prefers ({@code cpu} or {@code gpu}, optionally
 * with an index: {@code gpu:1}). Sessions from {@link Sessions} use soft placement, so {@code gpu} falls back to the
 * CPU on a machine without one.
 */
public final class Devices {
    private Devices() {
    }

    /** The device spec for {@code device}; an unknown name is a {@link ConfigException}. */
    public static DeviceSpec spec(String device) {
        requireNonNull(device, "device is null");
        String d = device.trim().toLowerCase(Locale.ROOT);
        int index = 0;
        int colon = d.indexOf(':');
        if (colon >= 0) {
            try {
                index = Integer.parseInt(d.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException(describe(device));
            }
            d = d.substring(0, colon);
        }
        if (index < 0) {
            throw new ConfigException(describe(device));
        }
        DeviceSpec.DeviceType type = switch (d) {
            case "cpu" -> DeviceSpec.DeviceType.CPU;
            case "gpu" -> DeviceSpec.DeviceType.GPU;
            default -> throw new ConfigException(describe(device));
        };
        return DeviceSpec.newBuilder().deviceType(type).deviceIndex(index).build();
    }

    /** {@code tf} placing every op it builds on the context's preferred device. */
    public static Ops place(Ops tf, DetectorContext context) {
        requireNonNull(tf, "tf is null");
        requireNonNull(context, "context is null");
        return tf.withDevice(spec(context.device()));
    }

    private static String describe(String device) {
        return "device: expected cpu, gpu or gpu:<index>, found '" + device + "'";
    }
}
