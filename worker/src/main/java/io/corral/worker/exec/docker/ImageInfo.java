package io.corral.worker.exec.docker;

import java.util.List;

/** A local image as {@code GET /images/{name}/json} shows it. */
public record ImageInfo(String id, List<String> repoTags) {}
