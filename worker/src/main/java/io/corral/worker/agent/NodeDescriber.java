package io.corral.worker.agent;

import io.corral.api.EngineDescription;
import io.corral.api.NodeDescription;
import io.corral.api.Platform;
import io.corral.api.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Describes this machine the way `docker node inspect` shows it: hostname, platform, resources,
 * engine.
 */
public final class NodeDescriber {

  private NodeDescriber() {}

  public static NodeDescription describe(String hostname, String engineVersion) {
    return NodeDescription.newBuilder()
        .setHostname(hostname)
        .setPlatform(
            Platform.newBuilder()
                .setOs(System.getProperty("os.name").toLowerCase(Locale.ROOT))
                .setArchitecture(architecture(System.getProperty("os.arch"))))
        .setResources(
            Resources.newBuilder()
                .setNanoCpus(Runtime.getRuntime().availableProcessors() * 1_000_000_000L)
                .setMemoryBytes(memoryBytes()))
        .setEngine(EngineDescription.newBuilder().setEngineVersion(engineVersion))
        .build();
  }

  /** Docker reports the kernel's names (uname -m), Java the JVM's. */
  static String architecture(String javaArch) {
    return switch (javaArch) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      default -> javaArch;
    };
  }

  static long memoryBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux or unreadable: fall back to what the JVM may use
    }
    return Runtime.getRuntime().maxMemory();
  }
}
