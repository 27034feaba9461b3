package voicecall.app.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import voicecall.engine.dialogue.DialogueSettings;
import voicecall.engine.llm.LlmConfig;
import voicecall.engine.stt.RemoteRecognizerConfig;
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
 * @param dialogue the call flow: silence timeouts, call length, barge-in guard, keypad menu
 * @param stt speech input: the recognition endpoint's limits and the optional remote recogniser
 * @param calls call records: the write buffer and the insight endpoints
 * @param transfer where callers who want a person go, and where they may go
 * @param ami Asterisk's manager interface, for transfers of plain AudioSocket calls (off unless
 *     {@code voicecall.ami.host} is set)
 * @param llm optional phrasing of answers by a streaming chat endpoint (off unless {@code
 *     voicecall.llm.base-url} is set)
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
    @Valid @DefaultValue Dialogue dialogue,
    @Valid @DefaultValue Stt stt,
    @Valid @DefaultValue Calls calls,
    @Valid @DefaultValue Transfer transfer,
    @Valid @DefaultValue Ami ami,
    @Valid @DefaultValue Llm llm) {

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
   * The fixed prompts of a call in one language. Templates hold blanks the call fills in: {@code
   * {1}}, {@code {2}} (the candidates' first questions) and {@code {digit}}, {@code {label}} (a
   * keypad menu item).
   *
   * @param greeting said when the call is answered
   * @param clarification said when the question matched too weakly and no candidate can be named
   * @param rephrase said when nothing matched: the caller is asked to say it differently
   * @param transfer said before the call is handed to an agent
   * @param goodbye said before hanging up
   * @param anythingElse said after an answer
   * @param stillThere said when the caller has been silent for the silence timeout
   * @param clarifyTwo template: the question about two candidates
   * @param clarifyOne template: the question about one candidate
   * @param clarifyChoose said after {@code clarifyTwo}: how to choose
   * @param clarifyYesNo said after {@code clarifyOne}: how to answer
   * @param menuIntro said before the keypad menu's items
   * @param menuItem template: one keypad menu item
   * @param menuOutro said after the keypad menu's items
   */
  public record PromptSet(
      @NotBlank String greeting,
      @NotBlank String clarification,
      @NotBlank String rephrase,
      @NotBlank String transfer,
      @NotBlank String goodbye,
      @NotBlank String anythingElse,
      @NotBlank String stillThere,
      @NotBlank String clarifyTwo,
      @NotBlank String clarifyOne,
      @NotBlank String clarifyChoose,
      @NotBlank String clarifyYesNo,
      @NotBlank String menuIntro,
      @NotBlank String menuItem,
      @NotBlank String menuOutro) {

    /**
     * Every prompt that is said as it is (the templates are left out: their text depends on the
     * knowledge), in a fixed order.
     *
     * @return greeting, clarification, rephrase, transfer, goodbye, anything else, still there,
     *     clarify choose, clarify yes/no, menu intro, menu outro
     */
    public List<String> all() {
      return List.of(
          greeting,
          clarification,
          rephrase,
          transfer,
          goodbye,
          anythingElse,
          stillThere,
          clarifyChoose,
          clarifyYesNo,
          menuIntro,
          menuOutro);
    }
  }

  /**
   * The call flow.
   *
   * @param silenceTimeout how long to wait for the caller after a reply before asking whether they
   *     are still there
   * @param maxSilences silences in a row that end the call with a goodbye
   * @param maxCallLength the longest call; then goodbye and hang-up
   * @param maxMisses unmatched questions in a row that lead to a transfer
   * @param bargeInHoldOff no barge-in during the first part of a reply
   * @param bargeInMarginDb while a reply plays, the caller must be at most this many dB below it to
   *     interrupt (the line's echo of the reply is quieter)
   * @param menuSize entries the keypad menu offers (1 to 9)
   * @param clarifyRunnerUpWithin a runner-up this close in confidence is offered as the second
   *     choice of a clarifying question
   */
  public record Dialogue(
      @NotNull @DefaultValue("8s") Duration silenceTimeout,
      @DefaultValue("2") int maxSilences,
      @NotNull @DefaultValue("10m") Duration maxCallLength,
      @DefaultValue("2") int maxMisses,
      @NotNull @DefaultValue("300ms") Duration bargeInHoldOff,
      @DefaultValue("10") double bargeInMarginDb,
      @DefaultValue("9") int menuSize,
      @DefaultValue("0.1") double clarifyRunnerUpWithin) {

    /** Rejects values the call flow cannot run with, naming the property. */
    public Dialogue {
      checkPositive("voicecall.dialogue.silence-timeout", silenceTimeout);
      checkPositive("voicecall.dialogue.max-call-length", maxCallLength);
      try {
        new DialogueSettings(
            silenceTimeout,
            maxSilences,
            maxCallLength,
            maxMisses,
            bargeInHoldOff,
            bargeInMarginDb,
            menuSize,
            clarifyRunnerUpWithin);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("voicecall.dialogue: " + e.getMessage(), e);
      }
    }

    /**
     * The engine's settings.
     *
     * @return the same values as {@link DialogueSettings}
     */
    public DialogueSettings toSettings() {
      return new DialogueSettings(
          silenceTimeout,
          maxSilences,
          maxCallLength,
          maxMisses,
          bargeInHoldOff,
          bargeInMarginDb,
          menuSize,
          clarifyRunnerUpWithin);
    }
  }

  /**
   * Speech input settings ({@code voicecall.stt.*}).
   *
   * @param maxAudio the longest recording {@code POST /api/v1/recognise} accepts (413 above it)
   * @param remote an optional remote OpenAI-compatible transcription endpoint
   * @param local the local English recogniser (PocketSphinx)
   */
  public record Stt(
      @NotNull @DefaultValue("30s") Duration maxAudio,
      @Valid @DefaultValue RemoteStt remote,
      @Valid @DefaultValue LocalStt local) {

    /** Rejects a recording limit outside 1 s to 10 min. */
    public Stt {
      if (maxAudio.compareTo(Duration.ofSeconds(1)) < 0
          || maxAudio.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "voicecall.stt.max-audio must be 1s to 10m, was " + maxAudio);
      }
    }
  }

  /**
   * The local English recogniser ({@code voicecall.stt.local.*}): PocketSphinx with the acoustic
   * model of the apt package {@code pocketsphinx-en-us}. Without it (off, or the library or model
   * missing) English calls use the remote recogniser if one serves English, else the keypad menu;
   * the voice activity detector and Korean calls with a remote recogniser do not need it.
   *
   * @param enabled build the local recogniser at start-up
   * @param model the acoustic model directory (the one holding {@code mdef} and {@code
   *     feat.params})
   * @param maxSessions how many calls can hold a decoder at once (about 11 MB of native memory
   *     each); a call beyond it gets the keypad menu, counted by {@code
   *     voicecall.conversation.keypad.fallbacks}
   */
  public record LocalStt(
      @DefaultValue("true") boolean enabled,
      @NotNull @DefaultValue("/usr/share/pocketsphinx/model/en-us") Path model,
      @DefaultValue("48") int maxSessions) {

    /**
     * Rejects a relative model path and a bound on sessions outside 1–10000, naming the property.
     */
    public LocalStt {
      if (!model.isAbsolute()) {
        throw new IllegalArgumentException(
            "voicecall.stt.local.model must be an absolute directory, was " + model);
      }
      if (maxSessions < 1 || maxSessions > 10_000) {
        throw new IllegalArgumentException(
            "voicecall.stt.local.max-sessions must be between 1 and 10000, was " + maxSessions);
      }
    }
  }

  /**
   * A remote OpenAI-compatible transcription endpoint ({@code POST
   * <base-url>/v1/audio/transcriptions}). Off unless {@code base-url} is set. English calls use it
   * with the local recogniser as fallback; Korean calls use it alone (there is no local Korean
   * model).
   *
   * @param baseUrl the server, e.g. {@code https://api.openai.com} or a Whisper server; empty for
   *     no remote
   * @param model the model name sent
   * @param apiKey the bearer token; empty for none (set it through {@code
   *     VOICECALL_STT_REMOTE_API_KEY})
   * @param languages the call languages ({@code ko}, {@code en}) the remote serves; each request
   *     carries its call's language as the hint
   * @param timeout how long one request may take before the utterance counts as not heard (or the
   *     local transcript is used)
   * @param maxAudio the longest utterance sent
   * @param maxConcurrentRequests requests in flight at once; one more is not sent (fallback or
   *     "please repeat")
   * @param responseFormat {@code verbose_json} (segment log-probabilities give a confidence) or
   *     {@code json} (text only)
   */
  public record RemoteStt(
      @DefaultValue("") String baseUrl,
      @NotNull @DefaultValue("whisper-1") String model,
      @DefaultValue("") String apiKey,
      @NotNull @DefaultValue({"ko", "en"}) List<String> languages,
      @NotNull @DefaultValue("3s") Duration timeout,
      @NotNull @DefaultValue("30s") Duration maxAudio,
      @DefaultValue("16") int maxConcurrentRequests,
      @NotNull @DefaultValue("verbose_json") String responseFormat) {

    /** Validates every value, naming the property, also while the endpoint is off. */
    public RemoteStt {
      languages = List.copyOf(languages);
      for (String l : languages) {
        if (!l.equals("ko") && !l.equals("en")) {
          throw new IllegalArgumentException(
              "voicecall.stt.remote.languages may hold ko and en, was " + languages);
        }
      }
      if (!responseFormat.equals("json") && !responseFormat.equals("verbose_json")) {
        throw new IllegalArgumentException(
            "voicecall.stt.remote.response-format must be json or verbose_json, was "
                + responseFormat);
      }
      try {
        config(
            baseUrl.isBlank() ? URI.create("http://localhost") : URI.create(baseUrl.strip()),
            model,
            null,
            timeout,
            maxAudio,
            maxConcurrentRequests,
            responseFormat);
      } catch (IllegalArgumentException e) {
        // Not chained: start-up failure reports show the root cause, and it names the property.
        throw new IllegalArgumentException(
            "voicecall.stt.remote.* is not usable: " + e.getMessage());
      }
    }

    private static RemoteRecognizerConfig config(
        URI baseUrl,
        String model,
        @Nullable String apiKey,
        Duration timeout,
        Duration maxAudio,
        int maxConcurrentRequests,
        String responseFormat) {
      return new RemoteRecognizerConfig(
          baseUrl,
          model,
          apiKey,
          null,
          timeout,
          maxAudio,
          maxConcurrentRequests,
          responseFormat.equals("verbose_json"));
    }

    /**
     * Whether a remote endpoint is configured.
     *
     * @return true when {@code base-url} is set
     */
    public boolean enabled() {
      return !baseUrl.isBlank();
    }

    /**
     * The recogniser settings for calls in one language.
     *
     * @param language {@code ko} or {@code en}
     * @return the settings with that language hint, or null when the remote is off or does not
     *     serve that language
     */
    public @Nullable RemoteRecognizerConfig toConfig(String language) {
      if (!enabled() || !languages.contains(language)) {
        return null;
      }
      return config(
              URI.create(baseUrl.strip()),
              model,
              apiKey.isBlank() ? null : apiKey,
              timeout,
              maxAudio,
              maxConcurrentRequests,
              responseFormat)
          .withLanguage(language);
    }

    /** Shows the settings without the API key. */
    @Override
    public String toString() {
      RemoteRecognizerConfig config = toConfig(languages.isEmpty() ? "en" : languages.get(0));
      return "RemoteStt[" + (config == null ? "off" : config + ", languages=" + languages) + "]";
    }
  }

  /**
   * Call records ({@code voicecall.calls.*}): finished calls wait in a bounded buffer and are
   * written in batches, so a slow or absent database never stalls a call.
   *
   * @param enabled record calls and serve {@code /api/v1/calls}, {@code /unanswered}, {@code
   *     /stats}
   * @param bufferCapacity finished calls held in memory while they wait to be written; beyond it
   *     new records are dropped and counted
   * @param batchSize calls written per batch; a full batch is written at once
   * @param flushInterval how often waiting records are written when no batch is full
   * @param retryInterval how long to wait after a failed write before trying again
   * @param writeTimeout how long one batch write may take before it counts as failed
   * @param unansweredSimilarity Jaccard similarity of normalised word sets at or above which two
   *     unanswered questions are grouped (0 exclusive to 1)
   * @param unansweredScan most recent unanswered questions {@code /api/v1/unanswered} groups
   */
  public record Calls(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10000") int bufferCapacity,
      @DefaultValue("200") int batchSize,
      @NotNull @DefaultValue("500ms") Duration flushInterval,
      @NotNull @DefaultValue("2s") Duration retryInterval,
      @NotNull @DefaultValue("10s") Duration writeTimeout,
      @DefaultValue("0.5") double unansweredSimilarity,
      @DefaultValue("5000") int unansweredScan) {

    /** Rejects values the recorder cannot run with, naming the property. */
    public Calls {
      if (bufferCapacity < 1 || bufferCapacity > 10_000_000) {
        throw new IllegalArgumentException(
            "voicecall.calls.buffer-capacity must be 1 to 10000000, was " + bufferCapacity);
      }
      if (batchSize < 1 || batchSize > 10_000) {
        throw new IllegalArgumentException(
            "voicecall.calls.batch-size must be 1 to 10000, was " + batchSize);
      }
      checkPositive("voicecall.calls.flush-interval", flushInterval);
      checkPositive("voicecall.calls.retry-interval", retryInterval);
      checkPositive("voicecall.calls.write-timeout", writeTimeout);
      if (!(unansweredSimilarity > 0 && unansweredSimilarity <= 1)) {
        throw new IllegalArgumentException(
            "voicecall.calls.unanswered-similarity must be above 0 and at most 1, was "
                + unansweredSimilarity);
      }
      if (unansweredScan < 1 || unansweredScan > 1_000_000) {
        throw new IllegalArgumentException(
            "voicecall.calls.unanswered-scan must be 1 to 1000000, was " + unansweredScan);
      }
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

  /**
   * Optional phrasing of knowledge answers by an OpenAI-compatible streaming chat endpoint ({@code
   * POST <base-url>/v1/chat/completions}). Off unless {@code base-url} is set; the key comes from
   * the environment ({@code VOICECALL_LLM_API_KEY}).
   *
   * @param baseUrl the server; empty for no phrasing
   * @param model the model name sent
   * @param apiKey the bearer token; empty for none
   * @param timeout how long one streamed answer may take
   * @param firstSentenceDeadline how long the caller waits for the first phrased sentence before
   *     the knowledge answer is spoken instead
   * @param maxTokens the most tokens an answer may have
   * @param maxEntries how many retrieved entries (the answer and its alternatives) the model gets
   */
  public record Llm(
      @DefaultValue("") String baseUrl,
      @NotNull @DefaultValue("gpt-4o-mini") String model,
      @DefaultValue("") String apiKey,
      @NotNull @DefaultValue("5s") Duration timeout,
      @NotNull @DefaultValue("700ms") Duration firstSentenceDeadline,
      @DefaultValue("200") int maxTokens,
      @DefaultValue("3") int maxEntries) {

    /** Checks the settings with the client's own rules, naming the property. */
    public Llm {
      if (maxEntries < 1 || maxEntries > 10) {
        throw new IllegalArgumentException(
            "voicecall.llm.max-entries must be 1..10, was " + maxEntries);
      }
      checkPositive("voicecall.llm.timeout", timeout);
      checkPositive("voicecall.llm.first-sentence-deadline", firstSentenceDeadline);
      if (!baseUrl.isBlank()) {
        try {
          config(baseUrl, model, apiKey, timeout, firstSentenceDeadline, maxTokens);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("voicecall.llm is not usable: " + e.getMessage());
        }
      }
    }

    private static LlmConfig config(
        String baseUrl,
        String model,
        String apiKey,
        Duration timeout,
        Duration firstSentenceDeadline,
        int maxTokens) {
      return new LlmConfig(
          URI.create(baseUrl.strip()),
          model,
          apiKey.isBlank() ? null : apiKey,
          timeout,
          firstSentenceDeadline,
          maxTokens);
    }

    /**
     * The client settings, or null when phrasing is off.
     *
     * @return the settings, or null
     */
    public @Nullable LlmConfig toConfig() {
      return baseUrl.isBlank()
          ? null
          : config(baseUrl, model, apiKey, timeout, firstSentenceDeadline, maxTokens);
    }

    /** Shows the settings without the API key. */
    @Override
    public String toString() {
      LlmConfig config = toConfig();
      return "Llm[" + (config == null ? "off" : config + ", maxEntries=" + maxEntries) + "]";
    }
  }
}
