package io.oddball.runtime;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.oddball.api.DetectorProvider;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.ScorerProvider;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.DataReaderProvider;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.PluginInfo;
import io.oddball.runtime.plugin.Plugins;
import java.util.Objects;

/**
 * Binds every discovered provider by its type name ({@code MapBinder<String, DetectorProvider>} and likewise for
 * scorers, threshold strategies, readers and embedders) plus the {@link Plugins} listing. Only binds: discovery
 * (I/O) happens before, in {@link io.oddball.runtime.plugin.PluginDiscovery}.
 */
public final class OddballModule extends AbstractModule {
    private final Plugins plugins;

    public OddballModule(Plugins plugins) {
        this.plugins = Objects.requireNonNull(plugins, "plugins is null");
    }

    @Override
    protected void configure() {
        bind(Plugins.class).toInstance(plugins);
        MapBinder<String, DetectorProvider> detectors =
                MapBinder.newMapBinder(binder(), String.class, DetectorProvider.class);
        MapBinder<String, ScorerProvider> scorers = MapBinder.newMapBinder(binder(), String.class, ScorerProvider.class);
        MapBinder<String, ThresholdStrategyProvider> thresholds =
                MapBinder.newMapBinder(binder(), String.class, ThresholdStrategyProvider.class);
        MapBinder<String, DataReaderProvider> readers =
                MapBinder.newMapBinder(binder(), String.class, DataReaderProvider.class);
        MapBinder<String, EmbedderProvider> embedders =
                MapBinder.newMapBinder(binder(), String.class, EmbedderProvider.class);
        for (PluginInfo p : plugins.all()) {
            switch (p.kind()) {
                case DETECTOR -> detectors.addBinding(p.name()).toInstance((DetectorProvider) p.provider());
                case SCORER -> scorers.addBinding(p.name()).toInstance((ScorerProvider) p.provider());
                case THRESHOLD -> thresholds.addBinding(p.name())
                        .toInstance((ThresholdStrategyProvider) p.provider());
                case READER -> readers.addBinding(p.name()).toInstance((DataReaderProvider) p.provider());
                case EMBEDDER -> embedders.addBinding(p.name()).toInstance((EmbedderProvider) p.provider());
                default -> throw new IllegalStateException("unknown kind " + p.kind());
            }
        }
    }
}
