package io.oddball.detector.vae;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Params;
import java.util.List;
import java.util.Map;

/**
 * The Gaussian likelihood {@code N(x; x̂, diag(σ²))} of the ELBO's reconstruction term (YAML {@code covElbo}, Alibi's
 * {@code cov_elbo}):
 * <ul>
 *   <li>{@code {sim: 0.05}} (default): σ fixed to {@code sim} for every feature (Alibi's default);</li>
 *   <li>{@code {diag: data}}: σ of each feature fixed to its standard deviation over the training data (Alibi's
 *       {@code cov_diag}; population std, floored at {@value #MIN_SIGMA});</li>
 *   <li>{@code {diag: learned}}: one log-variance per feature, a weight trained with the network (initially 0,
 *       σ = 1). It shapes training only: scores are squared errors and do not use σ.</li>
 * </ul>
 *
 * @param kind which σ
 * @param sim the fixed σ of {@link Kind#SIM}
 */
public record CovElbo(Kind kind, double sim) {
    /** Default {@code sim}, Alibi's. */
    public static final double DEFAULT_SIM = 0.05;
    /** Smallest σ of {@code diag: data}, so that constant features do not make the loss infinite. */
    public static final double MIN_SIGMA = 1e-3;

    /** How σ is chosen. */
    public enum Kind {
        /** σ = {@code sim} for every feature. */
        SIM,
        /** σ per feature from the training data. */
        DIAG_DATA,
        /** log σ² per feature trained. */
        DIAG_LEARNED
    }

    /** Checks the values. */
    public CovElbo {
        requireNonNull(kind, "kind is null");
        if (kind == Kind.SIM && !(sim > 0 && Double.isFinite(sim))) {
            throw new IllegalArgumentException("covElbo.sim: expected a number > 0, found " + sim);
        }
    }

    /** Alibi's default, {@code {sim: 0.05}}. */
    public static CovElbo defaults() {
        return new CovElbo(Kind.SIM, DEFAULT_SIM);
    }

    /** Reads the {@code covElbo} block of {@code p}: either {@code sim} or {@code diag}. */
    static CovElbo read(Params p) {
        if (!p.has("covElbo")) {
            return defaults();
        }
        Params c = p.child("covElbo");
        if (c.has("diag")) {
            if (c.has("sim")) {
                c.problem("sim", "either sim or diag", c.asMap());
                c.getRaw("sim");
            }
            String d = c.getChoice("diag", "learned", List.of("learned", "data"));
            return new CovElbo(d.equals("data") ? Kind.DIAG_DATA : Kind.DIAG_LEARNED, DEFAULT_SIM);
        }
        double sim = c.getDouble("sim", DEFAULT_SIM);
        if (!(sim > 0 && Double.isFinite(sim))) {
            c.problem("sim", "a number > 0", sim);
            sim = DEFAULT_SIM;
        }
        return new CovElbo(Kind.SIM, sim);
    }

    /** As written to {@code detector.yaml}. */
    Map<String, Object> toMap() {
        return switch (kind) {
            case SIM -> Map.of("sim", sim);
            case DIAG_DATA -> Map.of("diag", "data");
            case DIAG_LEARNED -> Map.of("diag", "learned");
        };
    }
}
