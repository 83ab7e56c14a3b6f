package io.corral.worker.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferencesTest {

  @Test
  void anUntaggedReferenceGetsDockersLatestTag() {
    assertThat(ImageReferences.withDefaultTag("busybox")).isEqualTo("busybox:latest");
    assertThat(ImageReferences.withDefaultTag("corral-test/busybox"))
        .isEqualTo("corral-test/busybox:latest");
  }

  @Test
  void aTagOrDigestIsKept() {
    assertThat(ImageReferences.withDefaultTag("app:3")).isEqualTo("app:3");
    assertThat(ImageReferences.withDefaultTag("busybox@sha256:abc"))
        .isEqualTo("busybox@sha256:abc");
  }

  @Test
  void aRegistryPortIsNoTag() {
    assertThat(ImageReferences.withDefaultTag("registry:5000/app"))
        .isEqualTo("registry:5000/app:latest");
    assertThat(ImageReferences.withDefaultTag("registry:5000/app:2"))
        .isEqualTo("registry:5000/app:2");
  }
}
