package voicecall.app.telephony.agi;

import io.netty.channel.Channel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpServer;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallRegistry;

/**
 * The FastAGI server on Reactor Netty (default port 4573): one {@link AgiSession} per connection,
 * lines in and out, nothing blocking. Starts and stops with the application.
 */
public final class AgiServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AgiServer.class);
  private static final int MAX_LINE = 8192;

  private final VoiceCallProperties.FastAgi config;
  private final CallRegistry registry;
  private volatile @Nullable DisposableServer server;

  /**
   * A server, not yet listening.
   *
   * @param config where to listen, where Asterisk reaches our AudioSocket server, timeouts
   * @param registry where AGI sessions announce the calls they start
   */
  public AgiServer(VoiceCallProperties.FastAgi config, CallRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public void start() {
    DisposableServer bound =
        TcpServer.create()
            .host(config.host())
            .port(config.port())
            .doOnChannelInit((observer, channel, remote) -> addCodec(channel))
            .handle(this::serve)
            .bindNow(Duration.ofSeconds(10));
    server = bound;
    log.info("FastAGI server listening on {}", bound.address());
  }

  private static void addCodec(Channel channel) {
    channel
        .pipeline()
        .addFirst("agi-string-encoder", new StringEncoder(StandardCharsets.UTF_8))
        .addFirst("agi-string-decoder", new StringDecoder(StandardCharsets.UTF_8))
        .addFirst("agi-lines", new LineBasedFrameDecoder(MAX_LINE));
  }

  private Mono<Void> serve(NettyInbound in, NettyOutbound out) {
    return Mono.defer(
        () -> {
          AtomicReference<@Nullable AgiSession> session = new AtomicReference<>();
          in.withConnection(
              c ->
                  session.set(
                      new AgiSession(
                          c.channel(),
                          registry,
                          config.audioSocketAddress(),
                          config.commandTimeout())));
          AgiSession s = session.get();
          if (s == null) {
            return Mono.error(new IllegalStateException("no connection for inbound"));
          }
          return in.receiveObject()
              .ofType(String.class)
              .doOnNext(s::onLine)
              .doOnError(e -> log.warn("closing AGI connection: {}", e.toString()))
              .onErrorResume(e -> Mono.empty())
              .doFinally(signal -> s.onClose())
              .then();
        });
  }

  /**
   * Returns the bound address (useful when the port is 0).
   *
   * @throws IllegalStateException when the server is not running
   */
  public InetSocketAddress address() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException("FastAGI server is not running");
    }
    return (InetSocketAddress) s.address();
  }

  @Override
  public void stop() {
    DisposableServer s = server;
    server = null;
    if (s != null) {
      s.disposeNow(Duration.ofSeconds(5));
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }
}
