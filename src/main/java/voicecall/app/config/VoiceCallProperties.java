package voicecall.app.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import voicecall.tts.RemoteSpeechConfig;

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
 * @param tts speech output: synthesisers, audio cache, pre-rendering and the fixed prompts
 * @param transfer where callers who want a person go, and where they may go
 * @param ami Asterisk's manager interface, for transfers of plain AudioSocket calls (off unless
 *     {@code voicecall.ami.host} is set)
 */
@Validated
@ConfigurationProperties("voicecall")
public record VoiceCallProperties(
    @Valid @DefaultValue Database database,
    @Valid @DefaultValue AudioSocket audiosocket,
    @Valid @DefaultValue FastAgi fastagi,
    @Valid @DefaultValue Ari ari,
    @Valid @DefaultValue Knowledge knowledge,
    @Valid @DefaultValue Tts tts,
    @Valid @DefaultValue Transfer transfer,
    @Valid @DefaultValue Ami ami) {

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

  /**
   * Speech output settings ({@code voicecall.tts.*}). Worker counts and the concurrency may be 0,
   * meaning the number of cores.
   *
   * @param cacheMaxBytes cap of the audio cache (weighed by bytes of audio; a minute of 8 kHz audio
   *     is about 0.96 MB)
   * @param timeout how long one synthesiser may take for one sentence before the next is tried
   * @param concurrency sentences of one reply synthesised at once (0: the number of cores)
   * @param freettsWorkers FreeTTS worker threads, each with its own voice (0: the number of cores)
   * @param espeakProcesses espeak-ng processes at once (0: the number of cores)
   * @param espeakCommand the espeak-ng executable (name on the PATH or a path)
   * @param sampleRate the call's sample rate that replies and pre-rendered audio are made for (8000
   *     for telephony slin; 8000 to 48000 in steps of 50 so 20 ms frames are whole)
   * @param prerender pre-rendering of answers and prompts when a knowledge version is activated
   * @param remote an optional remote OpenAI-compatible speech endpoint, last in the fallback chain
   * @param prompts the fixed prompts a call speaks, in each language
   */
  public record Tts(
      @NotNull @DefaultValue("256MB") DataSize cacheMaxBytes,
      @NotNull @DefaultValue("2s") Duration timeout,
      @DefaultValue("0") int concurrency,
      @DefaultValue("0") int freettsWorkers,
      @DefaultValue("0") int espeakProcesses,
      @NotNull @DefaultValue("espeak-ng") String espeakCommand,
      @DefaultValue("8000") int sampleRate,
      @Valid @DefaultValue Prerender prerender,
      @Valid @DefaultValue Remote remote,
      @Valid @DefaultValue Prompts prompts) {

    /** Rejects values the synthesisers cannot run with, naming the property. */
    public Tts {
      if (cacheMaxBytes.toBytes() < 1) {
        throw new IllegalArgumentException(
            "voicecall.tts.cache-max-bytes must be positive, was " + cacheMaxBytes);
      }
      checkPositive("voicecall.tts.timeout", timeout);
      requireCountOrZero("voicecall.tts.concurrency", concurrency);
      requireCountOrZero("voicecall.tts.freetts-workers", freettsWorkers);
      requireCountOrZero("voicecall.tts.espeak-processes", espeakProcesses);
      if (espeakCommand.isBlank()) {
        throw new IllegalArgumentException("voicecall.tts.espeak-command must not be blank");
      }
      if (sampleRate < 8_000 || sampleRate > 48_000 || sampleRate % 50 != 0) {
        throw new IllegalArgumentException(
            "voicecall.tts.sample-rate must be 8000 to 48000 Hz in steps of 50 (8000 for"
                + " telephony), was "
                + sampleRate);
      }
    }

    private static void requireCountOrZero(String name, int value) {
      if (value < 0 || value > 256) {
        throw new IllegalArgumentException(
            name + " must be 0 (the number of cores) to 256, was " + value);
      }
    }

    /**
     * A worker count with 0 meaning the number of cores.
     *
     * @param configured the configured value
     * @return the count to use, at least 1
     */
    public static int orCores(int configured) {
      return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * Pre-rendering of the answers and prompts into the audio cache.
   *
   * @param enabled pre-render when a knowledge version is activated
   * @param concurrency sentences synthesised at once while pre-rendering (1 leaves the cores to
   *     calls)
   */
  public record Prerender(
      @DefaultValue("true") boolean enabled, @DefaultValue("1") int concurrency) {

    /** Rejects a concurrency below 1. */
    public Prerender {
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException(
            "voicecall.tts.prerender.concurrency must be 1 to 64, was " + concurrency);
      }
    }
  }

  /**
   * A remote OpenAI-compatible speech endpoint ({@code POST <base-url>/v1/audio/speech}). Off
   * unless {@code base-url} is set; the key comes from the environment ({@code
   * VOICECALL_TTS_REMOTE_API_KEY}).
   *
   * @param baseUrl the server, e.g. {@code https://api.openai.com}; empty for no remote
   * @param model the model name sent
   * @param voice the voice name sent
   * @param apiKey the bearer token; empty for none
   * @param timeout how long one request may take
   */
  public record Remote(
      @DefaultValue("") String baseUrl,
      @NotNull @DefaultValue("tts-1") String model,
      @NotNull @DefaultValue("alloy") String voice,
      @DefaultValue("") String apiKey,
      @NotNull @DefaultValue("3s") Duration timeout) {

    /** Rejects blank names and a non-positive timeout. */
    public Remote {
      if (model.isBlank() || voice.isBlank()) {
        throw new IllegalArgumentException(
            "voicecall.tts.remote.model and voicecall.tts.remote.voice must not be blank");
      }
      checkPositive("voicecall.tts.remote.timeout", timeout);
      if (!baseUrl.isBlank()) {
        // The speech library's own checks, reported under the property's name.
        try {
          new RemoteSpeechConfig(URI.create(baseUrl.strip()), model, voice, null, timeout);
        } catch (IllegalArgumentException e) {
          // Not chained: start-up failure reports show the root cause, and it names the property.
          throw new IllegalArgumentException(
              "voicecall.tts.remote.base-url is not usable: " + e.getMessage());
        }
      }
    }

    /**
     * The settings for the speech library, or null when no endpoint is configured.
     *
     * @return the remote settings, or null
     */
    public @Nullable RemoteSpeechConfig toConfig() {
      return enabled()
          ? new RemoteSpeechConfig(
              URI.create(baseUrl.strip()), model, voice, apiKey.isBlank() ? null : apiKey, timeout)
          : null;
    }

    /**
     * Whether a remote endpoint is configured.
     *
     * @return true when {@code base-url} is set
     */
    public boolean enabled() {
      return !baseUrl.isBlank();
    }

    /** Shows the settings without the API key. */
    @Override
    public String toString() {
      RemoteSpeechConfig config = toConfig();
      return "Remote[" + (config == null ? "off" : config.toString()) + "]";
    }
  }

  /**
   * The fixed prompts of a call, in Korean and English.
   *
   * @param ko the Korean prompts
   * @param en the English prompts
   */
  public record Prompts(@Valid @NotNull PromptSet ko, @Valid @NotNull PromptSet en) {}

  /**
   * The fixed prompts of a call in one language.
   *
   * @param greeting said when the call is answered
   * @param clarification said when the question matched more than one answer or too weakly
   * @param rephrase said when nothing matched: the caller is asked to say it differently
   * @param transfer said before the call is handed to an agent
   * @param goodbye said before hanging up
   */
  public record PromptSet(
      @NotBlank String greeting,
      @NotBlank String clarification,
      @NotBlank String rephrase,
      @NotBlank String transfer,
      @NotBlank String goodbye) {

    /**
     * Every prompt, in a fixed order.
     *
     * @return greeting, clarification, rephrase, transfer, goodbye
     */
    public List<String> all() {
      return List.of(greeting, clarification, rephrase, transfer, goodbye);
    }
  }

  /**
   * Transfers to a person ({@code voicecall.transfer.*}): the dialplan location callers are sent
   * to, the locations that may be used at all, and how long the channel variables for the agent's
   * screen may be. A destination outside the allowlist is refused and logged, and the call just
   * ends.
   *
   * @param context the default destination's dialplan context
   * @param extension the default destination's extension
   * @param priority the default destination's priority
   * @param allowedContexts contexts a caller may be sent to
   * @param allowedExtensions extensions a caller may be sent to
   * @param maxVariableLength longest value of a channel variable, in characters; longer values are
   *     cut
   */
  public record Transfer(
      @NotNull @DefaultValue("voicecall-agents") String context,
      @NotNull @DefaultValue("agent") String extension,
      @DefaultValue("1") int priority,
      @NotNull @DefaultValue("voicecall-agents") List<String> allowedContexts,
      @NotNull @DefaultValue("agent") List<String> allowedExtensions,
      @DefaultValue("200") int maxVariableLength) {

    /** Rejects names Asterisk could not route to and lengths that would not fit a SIP header. */
    public Transfer {
      allowedContexts = List.copyOf(allowedContexts);
      allowedExtensions = List.copyOf(allowedExtensions);
      checkDialplanName("voicecall.transfer.context", context);
      checkDialplanName("voicecall.transfer.extension", extension);
      allowedContexts.forEach(c -> checkDialplanName("voicecall.transfer.allowed-contexts", c));
      allowedExtensions.forEach(e -> checkDialplanName("voicecall.transfer.allowed-extensions", e));
      if (priority < 1) {
        throw new IllegalArgumentException(
            "voicecall.transfer.priority must be at least 1, was " + priority);
      }
      if (maxVariableLength < 16 || maxVariableLength > 1024) {
        throw new IllegalArgumentException(
            "voicecall.transfer.max-variable-length must be 16..1024, was " + maxVariableLength);
      }
    }

    private static void checkDialplanName(String key, String value) {
      if (!value.matches("[A-Za-z0-9_+*#.-]{1,80}")) {
        throw new IllegalArgumentException(
            key + " must be a plain dialplan name (letters, digits, _+*#.-), was '" + value + "'");
      }
    }
  }

  /**
   * Asterisk's manager interface ({@code voicecall.ami.*}), used only to move plain AudioSocket
   * callers to an agent ({@code Setvar} + {@code Redirect}); off while {@code host} is unset.
   *
   * @param host Asterisk's address, e.g. {@code 127.0.0.1}; empty disables AMI
   * @param port the manager port ({@code manager.conf})
   * @param username the manager user
   * @param secret the manager user's secret
   * @param timeout how long one transfer (all its actions) may take
   */
  public record Ami(
      @NotNull @DefaultValue("") String host,
      @DefaultValue("5038") int port,
      @NotNull @DefaultValue("") String username,
      @NotNull @DefaultValue("") String secret,
      @NotNull @DefaultValue("5s") Duration timeout) {

    /** Rejects a bad port or timeout and a host without a user. */
    public Ami {
      checkPort("voicecall.ami.port", port);
      checkPositive("voicecall.ami.timeout", timeout);
      if (!host.isBlank() && username.isBlank()) {
        throw new IllegalArgumentException(
            "voicecall.ami.username must be set when voicecall.ami.host is");
      }
    }

    /** Returns whether AMI is configured. */
    public boolean enabled() {
      return !host.isBlank();
    }

    /** Shows the settings without the secret. */
    @Override
    public String toString() {
      return "Ami[" + (enabled() ? username + "@" + host + ":" + port : "off") + "]";
    }
  }
}
