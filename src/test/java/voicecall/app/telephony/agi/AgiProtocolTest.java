package voicecall.app.telephony.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgiProtocolTest {

  @Test
  void parsesTheHeaderBlock() {
    AgiRequestHeader h =
        AgiRequestHeader.parse(
            List.of(
                "agi_network: yes",
                "agi_network_script: voicecall",
                "agi_channel: PJSIP/sipp-00000001",
                "agi_language: ko",
                "agi_callerid: unknown",
                "agi_uniqueid: 1700000000.42"));
    assertThat(h.language()).isEqualTo("ko");
    assertThat(h.channel()).isEqualTo("PJSIP/sipp-00000001");
    assertThat(h.get("uniqueid", "")).isEqualTo("1700000000.42");
    assertThat(h.get("callerid", "anonymous")).isEqualTo("anonymous");
    assertThat(h.get("missing", "x")).isEqualTo("x");
  }

  @Test
  void rejectsHeaderLinesThatAreNotAgiVariables() {
    assertThatThrownBy(() -> AgiRequestHeader.parse(List.of("agi_network: yes", "GET / HTTP/1.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GET / HTTP/1.1");
    assertThatThrownBy(() -> AgiRequestHeader.parse(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesReplies() {
    assertThat(AgiResponse.parse("200 result=0")).isEqualTo(new AgiResponse(200, "0", ""));
    assertThat(AgiResponse.parse("200 result=1 (timeout)"))
        .isEqualTo(new AgiResponse(200, "1", "timeout"));
    assertThat(AgiResponse.parse("200 result=0 endpos=8000"))
        .isEqualTo(new AgiResponse(200, "0", "endpos=8000"));
    assertThat(AgiResponse.parse("510 Invalid or unknown command"))
        .isEqualTo(new AgiResponse(510, "", "Invalid or unknown command"));
    assertThat(AgiResponse.parse("511 Command Not Permitted on a dead channel").succeeded())
        .isFalse();
    assertThat(AgiResponse.parse("200 result=-1").succeeded()).isFalse();
    assertThat(AgiResponse.parse("200 result=0").succeeded()).isTrue();
  }

  @Test
  void rejectsLinesThatAreNotReplies() {
    assertThatThrownBy(() -> AgiResponse.parse("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hello");
  }
}
