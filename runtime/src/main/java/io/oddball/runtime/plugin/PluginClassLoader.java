package io.oddball.runtime.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The class loader of one third-party plugin jar (after Trino's {@code PluginClassLoader}). Classes and resources of
 * the shared packages (Oddball's api, Oddball's TensorFlow toolkit {@code io.oddball.tf} with its optional op library,
 * SLF4J, TensorFlow Java and its native loader and protobuf) come from the host, so the plugin and the host agree on
 * the SPI types, TensorFlow's native library and the op library are loaded once, and a plugin's graphs are built with
 * the same {@code TfOptions} as the built-in detectors'; everything else comes from the plugin jar, then the JDK (the
 * platform class loader is the parent). The plugin sees nothing else of the host: not Guice, not SnakeYAML, not the
 * runtime. The toolkit is shared but, unlike the api, not a stable interface: a plugin using it declares
 * {@code oddball-tf} {@code provided} and is built for the Oddball release it runs on (docs/adding-a-detector.md).
 */
public final class PluginClassLoader extends URLClassLoader {
    /** Package prefixes resolved from the host. A plugin jar must not bundle these. */
    public static final List<String> SHARED_PACKAGES = List.of(
            "io.oddball.api.", "io.oddball.tf.", "org.slf4j.", "org.tensorflow.", "org.bytedeco.",
            "com.google.protobuf.");

    private final ClassLoader host;

    static {
        ClassLoader.registerAsParallelCapable();
    }

    public PluginClassLoader(String name, List<URL> urls, ClassLoader host) {
        super(name, urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        this.host = Objects.requireNonNull(host, "host is null");
    }

    /** The plugin jar, for messages. */
    public String jar() {
        URL[] urls = getURLs();
        return urls.length == 0 ? getName() : urls[0].getPath();
    }

    static boolean isShared(String className) {
        for (String p : SHARED_PACKAGES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSharedResource(String name) {
        return isShared(name.replace('/', '.'));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return host.getResource(name);
        }
        URL url = findResource(name);
        return url != null ? url : getParent().getResource(name);
    }

    /** Resources of the plugin jar only (so ServiceLoader finds this plugin's providers, not the host's). */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isSharedResource(name)) {
            return host.getResources(name);
        }
        Enumeration<URL> own = findResources(name);
        return own.hasMoreElements() ? own : Collections.emptyEnumeration();
    }
}
