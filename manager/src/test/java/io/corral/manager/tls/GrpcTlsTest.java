package io.corral.manager.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.CAGrpc;
import io.corral.api.GetRootCACertificateRequest;
import io.corral.manager.ca.CaFixture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TLS contexts against a real grpc-netty server on loopback: protocol versions and the
 * bootstrap trust.
 */
class GrpcTlsTest {

  private static final int TIMEOUT_MS = 10_000;
  private static final int ALERT = 21;
  private static final int HANDSHAKE = 22;
  private static final int PROTOCOL_VERSION_ALERT = 70;

  private final CaFixture cluster = CaFixture.start();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void nodesNegotiateTls13() {
    rootVia(cluster.channel(cluster.manager()));

    assertThat(cluster.lastProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void tls12ClientIsStillAccepted() throws IOException {
    NodeIdentity worker = cluster.node("w1", NodeRole.WORKER);
    try (SSLSocket socket =
        (SSLSocket)
            TlsMaterial.of(worker)
                .sslContext()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.startHandshake();

      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void tls11ClientIsRefusedInTheHandshake() throws IOException {
    // The JDK cannot even offer TLS 1.1 any more, so a hand-made TLS 1.1 ClientHello is sent
    // instead.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.getOutputStream().write(tls11ClientHello());
      socket.getOutputStream().flush();

      DataInputStream in = new DataInputStream(socket.getInputStream());
      int type = readOrEof(in);
      // Either an alert or a closed connection; never a ServerHello.
      assertThat(type).isNotEqualTo(HANDSHAKE);
      if (type == ALERT) {
        in.readUnsignedShort(); // record version
        in.readUnsignedShort(); // length
        in.readUnsignedByte(); // level
        assertThat(in.readUnsignedByte()).isEqualTo(PROTOCOL_VERSION_ALERT);
      } else {
        assertThat(type).isEqualTo(-1);
      }
    }
  }

  @Test
  void bootstrapContextTrustsAnyServerButShowsWhatItPresented() {
    GrpcTls.Bootstrap bootstrap = GrpcTls.bootstrapClientContext();
    assertThat(bootstrap.presentedRoot()).isEmpty();

    String root = rootVia(cluster.channel(bootstrap.context()));

    assertThat(root).isEqualTo(cluster.ca().certPem());
    assertThat(bootstrap.presentedChain()).first().isEqualTo(cluster.manager().certificate());
    assertThat(bootstrap.presentedRoot()).contains(cluster.ca().certificate());
  }

  @Test
  void anonymousContextRefusesAServerOfAnotherCluster() {
    try (CaFixture other = CaFixture.start()) {
      ManagedChannel channel =
          cluster.channel(GrpcTls.anonymousClientContext(other.ca().certificate()));

      assertThatThrownBy(() -> rootVia(channel))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void nodeOfAnotherClusterCannotConnect() {
    try (CaFixture other = CaFixture.start()) {
      NodeIdentity stranger = other.manager();
      // it trusts our root, so only the server's check can stop it
      ManagedChannel channel =
          cluster.channel(
              GrpcTls.clientContext(
                  stranger,
                  new io.corral.manager.tls.ClusterTrustManager(cluster.ca().certificate())));

      assertThatThrownBy(() -> rootVia(channel))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  private static String rootVia(ManagedChannel channel) {
    return CAGrpc.newBlockingStub(channel)
        .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance())
        .getCertificate()
        .toStringUtf8();
  }

  private int port() {
    return Integer.parseInt(cluster.addr().substring(cluster.addr().lastIndexOf(':') + 1));
  }

  private static int readOrEof(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (java.net.SocketException e) {
      // a reset instead of an orderly close is also a refusal
      return -1;
    }
  }

  /** A minimal ClientHello offering at most TLS 1.1, with common TLS 1.0/1.1 cipher suites. */
  private static byte[] tls11ClientHello() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x03);
    body.write(0x02); // client_version TLS 1.1
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    body.writeBytes(random);
    body.write(0); // no session id
    int[] suites = {0xc009, 0xc00a, 0xc013, 0xc014, 0x002f, 0x0035};
    body.write(0);
    body.write(suites.length * 2);
    for (int suite : suites) {
      body.write(suite >> 8);
      body.write(suite & 0xff);
    }
    body.write(1);
    body.write(0); // compression: null only
    byte[] hello = body.toByteArray();

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(HANDSHAKE);
    record.write(0x03);
    record.write(0x01); // record layer version, as clients send it
    int handshakeLength = hello.length + 4;
    record.write(handshakeLength >> 8);
    record.write(handshakeLength & 0xff);
    record.write(1); // client_hello
    record.write(0);
    record.write(hello.length >> 8);
    record.write(hello.length & 0xff);
    record.writeBytes(hello);
    return record.toByteArray();
  }
}
