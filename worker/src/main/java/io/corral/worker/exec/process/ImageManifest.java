package io.corral.worker.exec.process;

import io.corral.api.HealthConfig;
import io.corral.common.ProtoTime;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process-executor image: the directory it lives in and what its {@code image.properties} says
 * (see docs/process-images.md): entrypoint and cmd as argument lists, environment, working
 * directory ("" = unset), and health check (its HEALTHCHECK; the default instance when it has
 * none).
 */
public record ImageManifest(
    Path directory,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    String workdir,
    HealthConfig healthcheck) {

  public static final String FILE_NAME = "image.properties";
  private static final String ENV_PREFIX = "env.";
  private static final String HEALTHCHECK = "healthcheck";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  public ImageManifest {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** An image without a health check. */
  public ImageManifest(
      Path directory,
      List<String> entrypoint,
      List<String> cmd,
      Map<String, String> env,
      String workdir) {
    this(directory, entrypoint, cmd, env, workdir, HealthConfig.getDefaultInstance());
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
        p.getProperty("workdir", "").strip(),
        healthcheck(p));
  }

  /**
   * {@code healthcheck} (a shell command run as {@code CMD-SHELL}, or {@code NONE}) and its {@code
   * healthcheck.interval}, {@code .timeout}, {@code .start_period} (durations like {@code 500ms},
   * {@code 1s}, {@code 2m}) and {@code .retries}.
   */
  private static HealthConfig healthcheck(Properties p) {
    HealthConfig.Builder h = HealthConfig.newBuilder();
    String test = p.getProperty(HEALTHCHECK, "").strip();
    if (test.equals("NONE")) {
      h.addTest("NONE");
    } else if (!test.isEmpty()) {
      h.addTest("CMD-SHELL").addTest(test);
    }
    duration(p, "interval").ifPresent(h::setInterval);
    duration(p, "timeout").ifPresent(h::setTimeout);
    duration(p, "start_period").ifPresent(h::setStartPeriod);
    String retries = p.getProperty(HEALTHCHECK + ".retries", "").strip();
    if (!retries.isEmpty()) {
      try {
        h.setRetries(Integer.parseUnsignedInt(retries));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            FILE_NAME
                + ": "
                + HEALTHCHECK
                + ".retries: expected a whole number of retries, got \""
                + retries
                + "\"",
            e);
      }
    }
    return h.build();
  }

  private static Optional<com.google.protobuf.Duration> duration(Properties p, String field) {
    String key = HEALTHCHECK + "." + field;
    String text = p.getProperty(key, "").strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          FILE_NAME
              + ": "
              + key
              + ": expected a duration such as 500ms, 1s, 2m or 1h, got \""
              + text
              + "\"");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
    return Optional.of(ProtoTime.protoDuration(d));
  }

  private static List<String> words(Properties p, String key) {
    try {
      return ShellWords.split(p.getProperty(key, ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FILE_NAME + ": " + key + ": " + e.getMessage(), e);
    }
  }
}
