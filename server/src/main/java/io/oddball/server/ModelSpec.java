package io.oddball.server;

import io.oddball.api.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A saved detector to serve and the name it is served under: {@code DIR} (its folder's name) or {@code NAME=DIR}. */
public record ModelSpec(String name, Path dir) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    public ModelSpec {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("model name '" + name + "': expected letters, digits, '.', '_' or '-' "
                    + "(starting with a letter or digit), found other characters; give NAME=DIR");
        }
    }

    /** {@code NAME=DIR} or {@code DIR}, read as the command line has it. */
    public static ModelSpec parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq > 0 && !Files.exists(Path.of(arg)) && NAME.matcher(arg.substring(0, eq)).matches()) {
            return new ModelSpec(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
        }
        Path dir = Path.of(arg).toAbsolutePath().normalize();
        Path file = dir.getFileName();
        return new ModelSpec(file == null ? "model" : file.toString(), Path.of(arg));
    }

    /** Parses every argument; two models of one name are a ConfigException naming both folders. */
    public static List<ModelSpec> parseAll(List<String> args) {
        Map<String, ModelSpec> byName = new LinkedHashMap<>();
        for (String a : args) {
            ModelSpec s = parse(a);
            ModelSpec before = byName.putIfAbsent(s.name(), s);
            if (before != null) {
                throw new ConfigException("model '" + s.name() + "': expected one folder per name, found "
                        + before.dir() + " and " + s.dir() + "; name them apart with NAME=DIR");
            }
        }
        return new ArrayList<>(byName.values());
    }
}
