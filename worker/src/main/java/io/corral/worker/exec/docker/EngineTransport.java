package io.corral.worker.exec.docker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** HTTP/1.1 exchanges with the Docker daemon over its unix socket, one connection per request. */
final class EngineTransport implements AutoCloseable {
  // An inspect or a non-followed log tail is small; this only bounds a daemon gone wrong.
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private final Path socket;
  private final DomainSocketAddress address;
  private final EventLoopGroup group;
  // Callers' futures complete here (see handOff).
  private final ExecutorService completions;

  EngineTransport(Path socket) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "native epoll is unavailable: " + Epoll.unavailabilityCause());
    }
    this.socket = socket;
    this.address = new DomainSocketAddress(socket.toString());
    this.group = new EpollEventLoopGroup(1, new DefaultThreadFactory("docker-engine-io", true));
    this.completions =
        Executors.newCachedThreadPool(new DefaultThreadFactory("docker-engine-callback", true));
  }

  Path socket() {
    return socket;
  }

  /** Sends one request (with an optional JSON body) and completes with the whole response. */
  CompletableFuture<EngineResponse> exchange(HttpMethod method, String uri, String jsonBody) {
    CompletableFuture<EngineResponse> result = new CompletableFuture<>();
    connect(
        method,
        uri,
        jsonBody,
        result,
        () ->
            new SimpleChannelInboundHandler<FullHttpResponse>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                byte[] body = new byte[response.content().readableBytes()];
                response.content().readBytes(body);
                EngineResponse r = new EngineResponse(response.status().code(), body);
                result.complete(r);
                ctx.close();
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(
                    result,
                    new EngineException(
                        "docker request " + method + " " + uri + " failed: " + cause, cause));
                ctx.close();
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                fail(
                    result,
                    new EngineException(
                        "docker closed the connection during " + method + " " + uri, null));
              }
            },
        true);
    return handOff(result);
  }

  /**
   * Sends one request whose response body is a stream (logs, events): each piece of body goes to
   * {@code onData} on the I/O thread, which must copy what it keeps and must not block. An error
   * status fails the stream with the daemon's message instead.
   */
  EngineStream stream(HttpMethod method, String uri, Consumer<ByteBuf> onData) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    connect(
        method,
        uri,
        null,
        done,
        () ->
            new SimpleChannelInboundHandler<HttpObject>() {
              private int status;
              private ByteBuf errorBody;

              @Override
              protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                if (msg instanceof HttpResponse response) {
                  status = response.status().code();
                  if (status >= 300) {
                    errorBody = ctx.alloc().buffer();
                  }
                }
                if (msg instanceof HttpContent content) {
                  if (errorBody != null) {
                    errorBody.writeBytes(content.content());
                  } else if (content.content().isReadable()) {
                    onData.accept(content.content());
                  }
                  if (msg instanceof LastHttpContent) {
                    if (errorBody != null) {
                      byte[] body = new byte[errorBody.readableBytes()];
                      errorBody.readBytes(body);
                      errorBody.release();
                      errorBody = null;
                      EngineResponse r = new EngineResponse(status, body);
                      fail(done, new EngineException(status, r.errorMessage()));
                    } else {
                      done.complete(null);
                    }
                    ctx.close();
                  }
                }
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(
                    done, new EngineException("docker stream " + uri + " failed: " + cause, cause));
                ctx.close();
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                if (errorBody != null) {
                  errorBody.release();
                }
                fail(done, new EngineException("docker closed the stream " + uri, null));
              }
            },
        false);
    return new EngineStream(handOff(done));
  }

  private <T> void connect(
      HttpMethod method,
      String uri,
      String jsonBody,
      CompletableFuture<T> result,
      Supplier<ChannelHandler> handler,
      boolean aggregate) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(EpollDomainSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec());
                    if (aggregate) {
                      ch.pipeline().addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES));
                    }
                    ch.pipeline().addLast(handler.get());
                  }
                });
    bootstrap
        .connect(address)
        .addListener(
            (ChannelFutureListener)
                connected -> {
                  if (!connected.isSuccess()) {
                    fail(
                        result,
                        new EngineException(
                            "cannot reach the Docker daemon at "
                                + socket
                                + ": "
                                + connected.cause().getMessage(),
                            connected.cause()));
                    return;
                  }
                  Channel ch = connected.channel();
                  // Settled or given up (a wait or a followed log cancelled): the connection has no
                  // further use.
                  result.whenComplete((r, e) -> ch.close());
                  ch.writeAndFlush(request(method, uri, jsonBody))
                      .addListener(
                          (ChannelFutureListener)
                              written -> {
                                if (!written.isSuccess()) {
                                  fail(
                                      result,
                                      new EngineException(
                                          "cannot send "
                                              + method
                                              + " "
                                              + uri
                                              + ": "
                                              + written.cause(),
                                          written.cause()));
                                  ch.close();
                                }
                              });
                });
  }

  private static DefaultFullHttpRequest request(HttpMethod method, String uri, String jsonBody) {
    ByteBuf body =
        jsonBody == null
            ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(jsonBody.getBytes(StandardCharsets.UTF_8));
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body);
    // Go's HTTP server answers 400 to an HTTP/1.1 request without Host; any name does over a unix
    // socket.
    request.headers().set(HttpHeaderNames.HOST, "docker");
    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (jsonBody != null) {
      request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    return request;
  }

  private static <T> void fail(CompletableFuture<T> future, Throwable error) {
    future.completeExceptionally(error);
  }

  /**
   * The caller's view of an I/O-side future: it completes on a callback thread, not on the event
   * loop, so a caller's blocking continuation cannot stall all I/O; completing or cancelling it
   * early closes the connection.
   */
  private <T> CompletableFuture<T> handOff(CompletableFuture<T> inner) {
    CompletableFuture<T> outer = new CompletableFuture<>();
    inner.whenCompleteAsync(
        (r, e) -> {
          if (e != null) {
            outer.completeExceptionally(e);
          } else {
            outer.complete(r);
          }
        },
        completions);
    outer.whenComplete((r, e) -> inner.cancel(false));
    return outer;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    completions.shutdown();
  }
}
