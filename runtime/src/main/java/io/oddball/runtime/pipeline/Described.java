package io.oddball.runtime.pipeline;

/**
 * A value for {@link io.oddball.api.Params#problem} already written as it should appear after "found"
 * ({@code 'kn'; did you mean 'knn'?}).
 */
record Described(String text) {
    @Override
    public String toString() {
        return text;
    }
}
