package voicecall.app.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything configurable under {@code voicecall.*}. Bound once at start and validated: a wrong
 * value stops the start with a message naming the property instead of failing mid-call. Each
 * capability adds its own nested record here.
 *
 * @param database our database settings (the connection itself is {@code spring.r2dbc.*})
 * @param audiosocket the AudioSocket media server Asterisk connects to
 * @param fastagi the FastAGI call-control server
 * @param ari the ARI client (off unless {@code voicecall.ari.url} is set)
 * @param knowledge limits and tuning of the knowledge base
 */
@Validated
@ConfigurationProperties("voicecall")
public record VoiceCallProperties(
    @Valid @DefaultValue Database database,
    @Valid @DefaultValue AudioSocket audiosocket,
    @Valid @DefaultValue FastAgi fastagi,
    @Valid @DefaultValue Ari ari,
    @Valid @DefaultValue Knowledge knowledge) {

  private static void checkPort(String key, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          key + " must be 0..65535 (0 = any free port), was " + port);
    }
  }

  private static void checkPositive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
  }

  /**
   * The AudioSocket server: Asterisk's {@code AudioSocket()} application or channel connects here
   * and streams the call's audio.
   *
   * @param enabled whether to listen at all
   * @param host the address to bind
   * @param port the TCP port (0 picks a free one)
   * @param language the language tag calls on this server get
   * @param defaultSampleRate the rate (8000 or 16000) assumed when the caller sends no audio within
   *     {@code rateDetection}; otherwise the first audio frame's kind decides
   * @param rateDetection how long to wait for the first audio frame before assuming the default
   * @param maxAudioPayload the largest audio frame accepted, in bytes; a larger one closes the
   *     connection
   * @param maxFramesInFlight outbound frames written but not yet taken by the socket, beyond which
   *     further frames are dropped (a stalled reader)
   * @param sendBufferBytes the socket send buffer, small so a stalled reader cannot hide seconds of
   *     audio in the kernel
   */
  public record AudioSocket(
      @DefaultValue("true") boolean enabled,
      @NotNull @DefaultValue("0.0.0.0") String host,
      @DefaultValue("9092") int port,
      @NotNull @DefaultValue("en") String language,
      @DefaultValue("8000") int defaultSampleRate,
      @NotNull @DefaultValue("100ms") Duration rateDetection,
      @DefaultValue("16384") int maxAudioPayload,
      @DefaultValue("2") int maxFramesInFlight,
      @DefaultValue("8192") int sendBufferBytes) {

    /** Rejects values that would make calls fail later. */
    public AudioSocket {
      checkPort("voicecall.audiosocket.port", port);
      if (host.isBlank()) {
        throw new IllegalArgumentException("voicecall.audiosocket.host must not be blank");
      }
      if (defaultSampleRate != 8000 && defaultSampleRate != 16000) {
        throw new IllegalArgumentException(
            "voicecall.audiosocket.default-sample-rate must be 8000 or 16000, was "
                + defaultSampleRate);
      }
      checkPositive("voicecall.audiosocket.rate-detection", rateDetection);
      if (maxAudioPayload < 320 || maxAudioPayload > 65535) {
        throw new IllegalArgumentException(
            "voicecall.audiosocket.max-audio-payload must be 320..65535, was " + maxAudioPayload);
      }
      if (maxFramesInFlight < 1) {
        throw new IllegalArgumentException(
            "voicecall.audiosocket.max-frames-in-flight must be at least 1");
      }
      if (sendBufferBytes < 1024) {
        throw new IllegalArgumentException(
            "voicecall.audiosocket.send-buffer-bytes must be at least 1024");
      }
    }
  }

  /**
   * The FastAGI server: the dialplan's {@code AGI(agi://host:4573/...)} connects here; the session
   * answers and sends the call's audio to the AudioSocket server.
   *
   * @param enabled whether to listen at all
   * @param host the address to bind
   * @param port the TCP port (0 picks a free one)
   * @param audioSocketAddress {@code host:port} of our AudioSocket server as Asterisk reaches it
   * @param commandTimeout how long one AGI command may wait for its reply
   */
  public record FastAgi(
      @DefaultValue("true") boolean enabled,
      @NotNull @DefaultValue("0.0.0.0") String host,
      @DefaultValue("4573") int port,
      @NotNull @DefaultValue("127.0.0.1:9092") String audioSocketAddress,
      @NotNull @DefaultValue("10s") Duration commandTimeout) {

    /** Rejects values that would make calls fail later. */
    public FastAgi {
      checkPort("voicecall.fastagi.port", port);
      if (!audioSocketAddress.matches("[^\\s:,]+:\\d{1,5}")) {
        throw new IllegalArgumentException(
            "voicecall.fastagi.audio-socket-address must be host:port, was " + audioSocketAddress);
      }
      checkPositive("voicecall.fastagi.command-timeout", commandTimeout);
    }
  }

  /**
   * The ARI client: on when {@code url} is set.
   *
   * @param url Asterisk's HTTP base, e.g. {@code http://127.0.0.1:8088}; null disables ARI
   * @param username ARI user
   * @param password ARI password
   * @param app the Stasis application name the dialplan hands calls to
   * @param externalMediaHost {@code host:port} of our AudioSocket server as Asterisk reaches it
   * @param reconnectMin first reconnect delay after the event socket drops
   * @param reconnectMax longest reconnect delay
   */
  public record Ari(
      @Nullable URI url,
      @NotNull @DefaultValue("") String username,
      @NotNull @DefaultValue("") String password,
      @NotNull @DefaultValue("voiceengine") String app,
      @NotNull @DefaultValue("127.0.0.1:9092") String externalMediaHost,
      @NotNull @DefaultValue("1s") Duration reconnectMin,
      @NotNull @DefaultValue("30s") Duration reconnectMax) {

    /** Rejects values that would make calls fail later. */
    public Ari {
      if (app.isBlank()) {
        throw new IllegalArgumentException("voicecall.ari.app must not be blank");
      }
      if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        throw new IllegalArgumentException(
            "voicecall.ari.url must be an http(s) URL such as http://127.0.0.1:8088, was " + url);
      }
      checkPositive("voicecall.ari.reconnect-min", reconnectMin);
      if (reconnectMax.compareTo(reconnectMin) < 0) {
        throw new IllegalArgumentException(
            "voicecall.ari.reconnect-max must not be below reconnect-min");
      }
    }

    /** Returns whether ARI is configured. */
    public boolean enabled() {
      return url != null;
    }
  }

  /**
   * Database settings that are ours.
   *
   * @param migrationTimeout how long the start may wait for the schema migration before failing
   */
  public record Database(@NotNull @DefaultValue("60s") Duration migrationTimeout) {

    /** Rejects a non-positive timeout, which would make every start fail. */
    public Database {
      if (migrationTimeout.isNegative() || migrationTimeout.isZero()) {
        throw new IllegalArgumentException(
            "voicecall.database.migration-timeout must be positive, was " + migrationTimeout);
      }
    }
  }

  /**
   * Knowledge base settings.
   *
   * @param maxUploadSize largest request body accepted by the knowledge endpoints; larger ones get
   *     413
   * @param maxEntries most entries one knowledge version may hold
   * @param maxAnswerChars longest answer in characters (longer ones take too long to speak)
   * @param maxQuestionChars longest question phrasing in characters
   * @param cacheSize answers cached per knowledge version
   * @param loadTimeout how long the start may wait to load the active version into the index
   * @param sampleOnFirstStart load the built-in sample FAQ when the database has no version yet
   */
  public record Knowledge(
      @NotNull @DefaultValue("5MB") DataSize maxUploadSize,
      @DefaultValue("20000") int maxEntries,
      @DefaultValue("600") int maxAnswerChars,
      @DefaultValue("300") int maxQuestionChars,
      @DefaultValue("10000") int cacheSize,
      @NotNull @DefaultValue("60s") Duration loadTimeout,
      @DefaultValue("true") boolean sampleOnFirstStart) {

    /** Rejects limits that would make every upload or start fail. */
    public Knowledge {
      if (maxUploadSize.toBytes() < 1
          || maxEntries < 1
          || maxAnswerChars < 1
          || maxQuestionChars < 1
          || cacheSize < 0
          || loadTimeout.isNegative()
          || loadTimeout.isZero()) {
        throw new IllegalArgumentException(
            "voicecall.knowledge.* limits must be positive (cache-size may be 0)");
      }
    }
  }
}
