package io.oddball.examples;

import io.oddball.api.data.Batch;
import io.oddball.api.result.OutlierType;
import io.oddball.api.result.Prediction;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fits a detector from a pipeline file and saves it; then loads the saved detector and screens images before they
 * reach a classifier, refusing those unlike the training images. Run it in the Oddball folder (paths are relative).
 */
public final class ScreenImages {
    public static void main(String[] args) {
        Oddball oddball = Oddball.create(List.of());      // finds the detector plugins on the class path
        RuntimeContext ctx = RuntimeContext.defaults();

        // train the small autoencoder of pipelines/demo-ae.yaml on MNIST digits (about 15 s) and save it
        // (true: replace the detector an earlier run saved there; a folder holding other files is refused)
        try (Pipeline fitted = oddball.fit(Path.of("pipelines/demo-ae.yaml"), ctx)) {
            oddball.save(fitted, Path.of("out/screen"), true);
        }

        // later, perhaps in another program: load the saved detector and screen images of any size
        try (Pipeline screen = oddball.load(Path.of("out/screen"), ctx)) {
            for (String file : List.of("data/photos/digit-7.png", "data/photos/pullover.png", "data/photos/truck.png")) {
                // read as the detector's input (resized to 28x28, grey); predict applies its preprocessing
                Batch image = oddball.openData(screen, Path.of(file), null, Map.of()).readAll();
                Prediction p = screen.predict(image, OutlierType.INSTANCE, null, false, true);
                System.out.printf("%s: score %.4f, threshold %.4f: %s%n", file, p.instanceScores()[0],
                        p.threshold(), p.isOutlier()[0] ? "refused" : "passed to the classifier");
            }
        }
    }
}
