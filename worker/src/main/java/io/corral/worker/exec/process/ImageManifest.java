package io.corral.worker.exec.process;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A process-executor image: the directory it lives in and what its {@code image.properties} says
 * (see docs/process-images.md): entrypoint and cmd as argument lists, environment, and working
 * directory ("" = unset).
 */
public record ImageManifest(
    Path directory,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    String workdir) {

  public static final String FILE_NAME = "image.properties";
  private static final String ENV_PREFIX = "env.";

  public ImageManifest {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /**
   * Reads {@code <directory>/image.properties}; throws {@link IOException} when it cannot be read
   * and {@link IllegalArgumentException} (naming the key) when a value is malformed.
   */
  public static ImageManifest load(Path directory) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(directory.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> env = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(p.stringPropertyNames());
    Collections.sort(keys); // Properties has no order; sorted keeps the environment deterministic
    for (String key : keys) {
      if (key.startsWith(ENV_PREFIX) && key.length() > ENV_PREFIX.length()) {
        env.put(key.substring(ENV_PREFIX.length()), p.getProperty(key));
      }
    }
    return new ImageManifest(
        directory,
        words(p, "entrypoint"),
        words(p, "cmd"),
        env,
        p.getProperty("workdir", "").strip());
  }

  private static List<String> words(Properties p, String key) {
    try {
      return ShellWords.split(p.getProperty(key, ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FILE_NAME + ": " + key + ": " + e.getMessage(), e);
    }
  }
}
