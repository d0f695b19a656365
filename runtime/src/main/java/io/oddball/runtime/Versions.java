package io.oddball.runtime;

/** Oddball's own version, read from the jar manifest (falls back to the build's version). */
public final class Versions {
    /** Oddball's release version. */
    public static final String ODDBALL;

    static {
        String v = Versions.class.getPackage().getImplementationVersion();
        ODDBALL = v != null ? v : "0.1.0";
    }

    private Versions() {
    }
}
