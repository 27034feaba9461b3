package voicecall.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The SIPp caller scenario is well-formed and places a whole call: INVITE, ACK, media, BYE. */
class SippScenarioTest {

  @Test
  void scenarioPlacesACompleteCall() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setValidating(false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc =
        factory.newDocumentBuilder().parse(Path.of("sipp", "uac-voicecall.xml").toFile());
    List<String> steps = new ArrayList<>();
    for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        String text = e.getTextContent().strip();
        String method = text.isEmpty() ? "" : text.split("\\s+", 2)[0];
        steps.add(
            e.getTagName()
                + (e.hasAttribute("response") ? " " + e.getAttribute("response") : "")
                + (e.getTagName().equals("send") ? " " + method : ""));
      }
    }
    assertThat(steps.get(0)).isEqualTo("send INVITE");
    assertThat(steps)
        .containsSubsequence("send INVITE", "recv 200", "send ACK", "send BYE", "recv 200");
    String text = doc.getDocumentElement().getTextContent();
    assertThat(text)
        .contains("m=audio [media_port] RTP/AVP 0 101")
        .contains("telephone-event/8000");
    assertThat(doc.getElementsByTagName("exec").getLength()).isEqualTo(2);
  }
}
