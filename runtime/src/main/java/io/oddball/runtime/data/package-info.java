/**
 * Data readers of the runtime: one {@link io.oddball.api.data.DataReaderProvider} per format ({@code idx},
 * {@code cifar10}, {@code npy}, {@code npz}, {@code csv}, {@code images}), each streaming its file in batches, and
 * {@link io.oddball.runtime.data.DataFormats}, which picks a reader from a format name or a file name.
 *
 * <p>Every reader takes the common options {@code limit}, {@code offset}, {@code classes}, {@code label} and
 * {@code shape} (each instance reshaped, e.g. rows of 784 values to {@code [28, 28, 1]}; see
 * {@link io.oddball.runtime.data.Shapes}), gives values as stored (bytes as 0..255; scaling belongs to the pipeline),
 * shapes channels last, and reports bad data as a {@link io.oddball.api.error.DataException} of the shape
 * {@code <file>: <record/line/offset>: expected X, found Y}; a path that does not exist is a
 * {@link io.oddball.api.error.ConfigException}.
 * The provider classes and their names and options are stable; the other classes are implementation details.
 */
package io.oddball.runtime.data;
