package voicecall.app.telephony.audiosocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import reactor.netty.tcp.TcpServer;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.Switchboard;
import voicecall.app.telephony.TcpListener;
import voicecall.app.telephony.TelephonyMetrics;

/**
 * The AudioSocket server on Reactor Netty (default port 9092). Each connection gets its own decoder
 * and session; the shared encoder writes the engine's audio and hang-up messages. Starts and stops
 * with the application.
 */
public final class AudioSocketServer extends TcpListener<AudioSocketMessage> {

  private static final AudioSocketEncoder ENCODER = new AudioSocketEncoder();

  private final VoiceCallProperties.AudioSocket config;
  private final Switchboard switchboard;
  private final TelephonyMetrics metrics;

  /**
   * A server, not yet listening.
   *
   * @param config where to listen and the protocol limits
   * @param switchboard where connected calls go
   * @param metrics the telephony meters
   */
  public AudioSocketServer(
      VoiceCallProperties.AudioSocket config, Switchboard switchboard, TelephonyMetrics metrics) {
    super(
        "AudioSocket",
        TcpServer.create()
            .host(config.host())
            .port(config.port())
            .childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes())
            .childOption(ChannelOption.TCP_NODELAY, true),
        AudioSocketMessage.class);
    this.config = config;
    this.switchboard = switchboard;
    this.metrics = metrics;
  }

  @Override
  protected void installCodec(Channel channel) {
    channel
        .pipeline()
        .addFirst("audiosocket-decoder", new AudioSocketDecoder(config.maxAudioPayload()))
        .addFirst("audiosocket-encoder", ENCODER);
  }

  @Override
  protected Session<AudioSocketMessage> newSession(Channel channel) {
    return new AudioSocketSession(channel, switchboard, metrics, config);
  }
}
