package io.oddball.api;

/**
 * The version of this API. A plugin built against api {@code 1.x} runs on any runtime {@code 1.y}; the runtime
 * refuses a plugin whose jar manifest declares a newer major ({@code Oddball-Api-Version}).
 */
public final class Api {
    /** Major version: changes only with incompatible changes. */
    public static final int MAJOR = 1;
    /** Minor version: grows with added (default) methods and types. */
    public static final int MINOR = 3;
    /** {@code MAJOR.MINOR}. */
    public static final String VERSION = MAJOR + "." + MINOR;
    /** The jar-manifest attribute a plugin uses to declare the api version it was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Oddball-Api-Version";

    private Api() {
    }
}
