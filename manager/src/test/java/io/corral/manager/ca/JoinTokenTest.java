package io.corral.manager.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.JoinTokens;
import io.corral.common.RandomIds;
import io.corral.manager.tls.NodeRole;
import org.junit.jupiter.api.Test;

class JoinTokenTest {

  private static final RootCA CA = RootCA.create("cluster-a");
  private static final String DIGEST = CA.digest();

  @Test
  void generatedTokenHasTheDocumentedFormatAndParsesBack() {
    JoinToken token = JoinToken.generate(DIGEST);

    assertThat(token.value()).matches("CRLTKN-1-sha256:[0-9a-f]{64}-[0-9a-z]{25}");
    assertThat(token.toString()).isEqualTo(token.value());
    assertThat(JoinToken.parse(token.value())).isEqualTo(token);
    assertThat(JoinToken.parse("  " + token.value() + "\n")).isEqualTo(token);
  }

  @Test
  void secretsAreFreshEachTime() {
    assertThat(JoinToken.generate(DIGEST).secret())
        .isNotEqualTo(JoinToken.generate(DIGEST).secret());
  }

  @Test
  void matchesRootOnlyForTheRootItNames() {
    JoinToken token = JoinToken.generate(DIGEST);

    assertThat(token.matchesRoot(CA.certificate())).isTrue();
    assertThat(token.matchesRoot(RootCA.create("cluster-b").certificate())).isFalse();
  }

  @Test
  void matchesComparesSecretAndRoot() {
    JoinToken token = JoinToken.generate(DIGEST);

    assertThat(token.matches(JoinToken.parse(token.value()))).isTrue();
    assertThat(token.matches(new JoinToken(DIGEST, RandomIds.base36(25)))).isFalse();
    assertThat(token.matches(new JoinToken(RootCA.create("cluster-b").digest(), token.secret())))
        .isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void parseSaysWhatIsWrong() {
    String secret = RandomIds.base36(25);
    assertThatThrownBy(() -> JoinToken.parse(""))
        .hasMessage("invalid join token: it is empty; expected CRLTKN-1-<digest>-<secret>");
    assertThatThrownBy(() -> JoinToken.parse("CRLTKN-1-" + secret))
        .hasMessageStartingWith("invalid join token: expected CRLTKN-1-<digest>-<secret>")
        .hasMessageContaining("got 3 parts");
    assertThatThrownBy(() -> JoinToken.parse("SWMTKN-1-" + DIGEST + "-" + secret))
        .hasMessageContaining("must start with CRLTKN-, got 'SWMTKN-'");
    assertThatThrownBy(() -> JoinToken.parse("CRLTKN-2-" + DIGEST + "-" + secret))
        .hasMessageContaining("version '2' is not supported");
    assertThatThrownBy(() -> JoinToken.parse("CRLTKN-1-sha256:abc-" + secret))
        .hasMessageContaining("root CA digest must be sha256:<64 hex digits>");
    assertThatThrownBy(() -> JoinToken.parse("CRLTKN-1-" + DIGEST + "-" + secret.toUpperCase()))
        .hasMessageContaining("the secret must be 25 characters 0-9a-z");
  }

  @Test
  void errorsNeverRepeatTheSecret() {
    String secret = RandomIds.base36(25);
    assertThatThrownBy(() -> JoinToken.parse("CRLTKN-1-" + DIGEST + "-" + secret + "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain(secret);
    assertThatThrownBy(() -> JoinToken.parse(secret + "-1-" + DIGEST + "-" + secret))
        .message()
        .doesNotContain(secret);
  }

  @Test
  void clusterTokensDecideTheRoleAndRotationRetiresOnlyOne() {
    JoinTokens tokens = ClusterTokens.create(DIGEST);
    JoinToken worker = JoinToken.parse(tokens.getWorker());
    JoinToken manager = JoinToken.parse(tokens.getManager());

    assertThat(ClusterTokens.roleOf(tokens, worker)).contains(NodeRole.WORKER);
    assertThat(ClusterTokens.roleOf(tokens, manager)).contains(NodeRole.MANAGER);
    assertThat(ClusterTokens.roleOf(tokens, JoinToken.generate(DIGEST))).isEmpty();

    JoinTokens rotated = ClusterTokens.rotate(tokens, NodeRole.WORKER, DIGEST);
    assertThat(ClusterTokens.roleOf(rotated, worker)).isEmpty();
    assertThat(ClusterTokens.roleOf(rotated, JoinToken.parse(rotated.getWorker())))
        .contains(NodeRole.WORKER);
    assertThat(rotated.getManager()).isEqualTo(tokens.getManager());
  }
}
