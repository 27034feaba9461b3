package voicecall.app.telephony.audiosocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
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
import voicecall.app.telephony.Switchboard;
import voicecall.app.telephony.TelephonyMetrics;

/**
 * The AudioSocket server on Reactor Netty (default port 9092). Each connection gets its own decoder
 * and session; the shared encoder writes the engine's audio and hang-up messages. Starts and stops
 * with the application.
 */
public final class AudioSocketServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AudioSocketServer.class);
  private static final AudioSocketEncoder ENCODER = new AudioSocketEncoder();

  private final VoiceCallProperties.AudioSocket config;
  private final Switchboard switchboard;
  private final TelephonyMetrics metrics;
  private volatile @Nullable DisposableServer server;

  /**
   * A server, not yet listening.
   *
   * @param config where to listen and the protocol limits
   * @param switchboard where connected calls go
   * @param metrics the telephony meters
   */
  public AudioSocketServer(
      VoiceCallProperties.AudioSocket config, Switchboard switchboard, TelephonyMetrics metrics) {
    this.config = config;
    this.switchboard = switchboard;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    DisposableServer bound =
        TcpServer.create()
            .host(config.host())
            .port(config.port())
            .childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .doOnChannelInit((observer, channel, remote) -> addCodec(channel))
            .handle(this::serve)
            .bindNow(Duration.ofSeconds(10));
    server = bound;
    log.info("AudioSocket server listening on {}", bound.address());
  }

  /** The codec goes in before the channel reads its first byte, so no frame can slip past it. */
  private void addCodec(Channel channel) {
    channel
        .pipeline()
        .addFirst("audiosocket-decoder", new AudioSocketDecoder(config.maxAudioPayload()))
        .addFirst("audiosocket-encoder", ENCODER);
  }

  private Mono<Void> serve(NettyInbound in, NettyOutbound out) {
    return Mono.defer(
        () -> {
          AtomicReference<@Nullable AudioSocketSession> session = new AtomicReference<>();
          in.withConnection(
              c -> session.set(new AudioSocketSession(c.channel(), switchboard, metrics, config)));
          AudioSocketSession s = session.get();
          if (s == null) {
            return Mono.error(new IllegalStateException("no connection for inbound"));
          }
          return in.receiveObject()
              .ofType(AudioSocketMessage.class)
              .doOnNext(s::onMessage)
              .doOnError(s::onError)
              .onErrorResume(e -> Mono.empty())
              .doFinally(signal -> s.onClose())
              .then();
        });
  }

  /**
   * @return the bound address (useful when the port is 0)
   * @throws IllegalStateException when the server is not running
   */
  public InetSocketAddress address() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException("AudioSocket server is not running");
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
