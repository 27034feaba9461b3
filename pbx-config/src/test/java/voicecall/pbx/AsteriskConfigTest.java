package voicecall.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asteriskjava.config.ConfigFile;
import org.asteriskjava.config.ConfigFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the shipped Asterisk configuration with asterisk-java's parser (the same syntax rules as
 * Asterisk's own) and checks that it points at the engine's defaults: a typo here only shows up on
 * a customer's PBX otherwise.
 */
class AsteriskConfigTest {

  private static final Path DIR = Path.of("asterisk");

  private static ConfigFile read(String name) {
    Path file = DIR.resolve(name);
    assertThat(file).exists();
    ConfigFileReader reader = new ConfigFileReader();
    ConfigFile config = reader.readFile(file.toString());
    assertThat(reader.getWarnings()).as("parse warnings of %s", name).isEmpty();
    return config;
  }

  @ParameterizedTest
  @ValueSource(strings = {"pjsip.conf", "extensions.conf", "ari.conf", "http.conf", "manager.conf"})
  void everyFileParsesWithoutWarnings(String name) throws Exception {
    ConfigFile config = read(name);
    assertThat(config.getCategories()).as("sections of %s", name).isNotEmpty();
    assertThat(Files.readString(DIR.resolve(name))).doesNotContain("\t");
  }

  @Test
  void dialplanHandsCallsToTheEngineDefaultPorts() {
    Map<String, List<String>> contexts = read("extensions.conf").getCategories();
    assertThat(contexts).containsKeys("globals", "voicecall-inbound", "voicecall-agents");
    String inbound = String.join("\n", contexts.get("voicecall-inbound"));
    assertThat(inbound)
        .contains("AudioSocket(${VC_UUID},${ENGINE}:9092)")
        .contains("AudioSocket/${ENGINE}:9092/${VC_UUID}/")
        .contains("c(slin16)")
        .contains("agi://${ENGINE}:4573/")
        .contains("Stasis(voiceengine)");
  }

  /**
   * AudioSocket rejects an id that is not a UUID. Evaluates the dialplan's substring expressions on
   * an MD5 value the way Asterisk does ({@code ${VAR:offset:length}}) and parses the result.
   */
  @Test
  void callUuidExpressionYieldsAUuid() {
    List<String> lines =
        read("extensions.conf").getCategories().getOrDefault("voicecall-call-uuid", List.of());
    String expression =
        lines.stream()
            .filter(l -> l.contains("Set(VC_UUID="))
            .findFirst()
            .orElseThrow()
            .replaceAll(".*Set\\(VC_UUID=(.*)\\)$", "$1");
    String md5 = "9e107d9d372bb6826bd81d3542a419d6";
    Matcher m = Pattern.compile("\\$\\{VC_HASH:(\\d+):(\\d+)}").matcher(expression);
    StringBuilder value = new StringBuilder();
    while (m.find()) {
      int from = Integer.parseInt(m.group(1));
      m.appendReplacement(value, md5.substring(from, from + Integer.parseInt(m.group(2))));
    }
    m.appendTail(value);
    assertThat(value.toString())
        .hasSize(36)
        .isEqualTo(UUID.fromString(value.toString()).toString())
        .isEqualTo("9e107d9d-372b-b682-6bd8-1d3542a419d6");
  }

  /**
   * The names the engine uses for transfers: the default destination {@code
   * voicecall-agents,agent,1}, the three agent variables, and the global under which plain
   * AudioSocket calls keep their channel name for the AMI redirect ({@code VC_CHANNEL_<hash>}).
   */
  @Test
  void transferDestinationVariablesAndChannelMappingMatchTheEngine() {
    Map<String, List<String>> contexts = read("extensions.conf").getCategories();
    String agents = String.join("\n", contexts.get("voicecall-agents"));
    assertThat(agents).startsWith("exten=agent,1,");
    for (String variable :
        List.of("VOICECALL_QUESTION", "VOICECALL_ENTRY_ID", "VOICECALL_CALL_ID")) {
      assertThat(agents).contains("Set(__" + variable + "=${" + variable + "})");
      assertThat(String.join("\n", contexts.get("voicecall-agent-headers")))
          .contains("=${" + variable + "})");
    }
    assertThat(agents).contains("b(voicecall-agent-headers^s^1)");
    String uuid = String.join("\n", contexts.get("voicecall-call-uuid"));
    assertThat(uuid)
        .contains("Set(GLOBAL(VC_CHANNEL_${VC_HASH})=${CHANNEL})")
        .contains("hangup_handler_push)=voicecall-forget-channel,s,1(${VC_HASH})");
    assertThat(String.join("\n", contexts.get("voicecall-forget-channel")))
        .contains("Set(GLOBAL(VC_CHANNEL_${ARG1})=)");
  }

  @Test
  void ariAndHttpMatchTheEngineAriDefaults() {
    ConfigFile http = read("http.conf");
    assertThat(http.getValue("general", "enabled")).isEqualTo("yes");
    assertThat(http.getValue("general", "bindport")).isEqualTo("8088");
    ConfigFile ari = read("ari.conf");
    assertThat(ari.getValue("general", "enabled")).isEqualTo("yes");
    assertThat(ari.getValue("voicecall", "type")).isEqualTo("user");
  }

  @Test
  void sippEndpointLandsInTheEngineContext() {
    ConfigFile pjsip = read("pjsip.conf");
    assertThat(pjsip.getValues("sipp", "context")).contains("voicecall-inbound");
    assertThat(pjsip.getValue("transport-udp", "protocol")).isEqualTo("udp");
    assertThat(pjsip.getValue("sipp", "aors")).isEqualTo("sipp-aor");
    assertThat(pjsip.getValue("sipp-aor", "type")).isEqualTo("aor");
  }

  @Test
  void managerOnlyAcceptsLocalConnections() {
    ConfigFile manager = read("manager.conf");
    assertThat(manager.getValue("voicecall", "deny")).isEqualTo("0.0.0.0/0.0.0.0");
    assertThat(manager.getValue("voicecall", "permit")).startsWith("127.0.0.1");
  }
}
