/* ex_cwmp_t.c - unit tests for the TR-069 Inform and UPnP description
 * readers (ex_http.h: cwmp_parse_inform, upnp_parse_description) and the
 * XML scanner they share (ex_xml.h).
 *
 * References: TR-069 Amendment 6 A.3.3.1, UPnP Device Architecture 2.0
 * section 2.3, XML 1.0 section 4.1 (character references). Values follow the
 * public fingerprints in /work/shared/reference/fingerprints.md (sections
 * 1.5, 1.6, 2.4, 2.5); serial numbers and versions not given there are made
 * up. Every parse runs on an exact-size heap copy so AddressSanitizer
 * catches a read past the end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_TEST_HTTP /* and the HTTP parse helpers */
#include "ex_test_sink.h"
#include "ex_xml.h"
#include "tap.h"
#include "telexpose/ex_http.h"

/* ---------------------------------------------------------- test inputs */

/* TR-069 Inform as a Huawei HG8245H sends it (SOAP 1.1, cwmp-1-0). */
static const char HUAWEI_INFORM[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
    "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">\n<SOAP-ENV:Header>\n"
    "<cwmp:ID SOAP-ENV:mustUnderstand=\"1\">1</cwmp:ID>\n</SOAP-ENV:Header>\n<SOAP-ENV:Body>\n"
    "<cwmp:Inform>\n<DeviceId>\n<Manufacturer>Huawei Technologies Co., Ltd</Manufacturer>\n"
    "<OUI>00259E</OUI>\n<ProductClass>HG8245H</ProductClass>\n<SerialNumber>"
    "48575443A1B2C3D4</SerialNumber>\n</DeviceId>\n"
    "<Event SOAP-ENC:arrayType=\"cwmp:EventStruct[2]\">\n<EventStruct>\n<EventCode>"
    "0 BOOTSTRAP</EventCode>\n<CommandKey></CommandKey>\n</EventStruct>\n<EventStruct>\n"
    "<EventCode>1 BOOT</EventCode>\n<CommandKey></CommandKey>\n</EventStruct>\n</Event>\n"
    "<MaxEnvelopes>1</MaxEnvelopes>\n<CurrentTime>2016-03-01T10:12:45+00:00</CurrentTime>\n"
    "<RetryCount>0</RetryCount>\n"
    "<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[5]\">\n"
    "<ParameterValueStruct>\n<Name>InternetGatewayDevice.DeviceSummary</Name>\n"
    "<Value xsi:type=\"xsd:string\">"
    "InternetGatewayDevice:1.1[](Baseline:1, EthernetLAN:1)</Value>\n</ParameterValueStruct>\n"
    "<ParameterValueStruct>\n<Name>InternetGatewayDevice.DeviceInfo.HardwareVersion</Name>\n"
    "<Value xsi:type=\"xsd:string\">10C7.A</Value>\n</ParameterValueStruct>\n"
    "<ParameterValueStruct>\n<Name>InternetGatewayDevice.DeviceInfo.SoftwareVersion</Name>\n"
    "<Value xsi:type=\"xsd:string\">V3R017C10S100</Value>\n</ParameterValueStruct>\n"
    "<ParameterValueStruct>\n<Name>"
    "InternetGatewayDevice.ManagementServer.ConnectionRequestURL</Name>\n"
    "<Value xsi:type=\"xsd:string\">http://10.20.30.40:7547/</Value>\n</ParameterValueStruct>\n"
    "<ParameterValueStruct>\n<Name>"
    "InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1."
    "WANIPConnection.1.ExternalIPAddress</Name>\n"
    "<Value xsi:type=\"xsd:string\">10.20.30.40</Value>\n</ParameterValueStruct>\n"
    "</ParameterList>\n</cwmp:Inform>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n";

/* ZTE F600W: lower-case envelope prefixes, TR-181 Device. root, one line,
 * near-miss parameter names before the real ones. */
static const char ZTE_INFORM[] =
    "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "
    "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Header>"
    "<cwmp:ID soap-env:mustUnderstand=\"1\">ZTE0001</cwmp:ID></soap-env:Header><soap-env:Body>"
    "<cwmp:Inform><DeviceId><Manufacturer>ZTE</Manufacturer><OUI>44F436</OUI><ProductClass>"
    "F600W</ProductClass><SerialNumber>ZTEEQAWF5J00191</SerialNumber></DeviceId>"
    "<Event soap-enc:arrayType=\"cwmp:EventStruct[1]\"><EventStruct><EventCode>"
    "2 PERIODIC</EventCode><CommandKey/></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes>"
    "<CurrentTime>2019-07-04T08:00:00</CurrentTime><RetryCount>0</RetryCount>"
    "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[4]\"><ParameterValueStruct>"
    "<Name>Device.DeviceInfo.AdditionalSoftwareVersion</Name><Value>wrong-1</Value>"
    "</ParameterValueStruct><ParameterValueStruct><Name>"
    "Device.X_ZTE_DeviceInfo.HardwareVersion</Name><Value>wrong-2</Value>"
    "</ParameterValueStruct><ParameterValueStruct><Value>V6.0.10P2T1</Value><Name>"
    "Device.DeviceInfo.SoftwareVersion</Name></ParameterValueStruct><ParameterValueStruct>"
    "<Name>Device.DeviceInfo.HardwareVersion</Name><Value>V6.0</Value></ParameterValueStruct>"
    "</ParameterList></cwmp:Inform></soap-env:Body></soap-env:Envelope>";

static const char INFORM_HEAD[] = "POST /acs HTTP/1.1\r\n"
                                  "Host: acs.example.net:7547\r\n"
                                  "User-Agent: cwmp-test/1.0\r\n"
                                  "Content-Type: text/xml; charset=\"utf-8\"\r\n"
                                  "SOAPAction: \r\n";

/* Huawei HG531-style description, with an embedded device whose fields
 * must not be taken for the root device's. */
static const char HUAWEI_DESC[] =
    "<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n<specVersion>"
    "<major>1</major><minor>0</minor></specVersion>\n<URLBase>"
    "http://192.168.1.1:37215</URLBase>\n<device>\n<deviceType>"
    "urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>\n<friendlyName>"
    "HG531</friendlyName>\n<deviceList><device>\n<deviceType>"
    "urn:schemas-upnp-org:device:WANDevice:1</deviceType>\n<manufacturer>"
    "Embedded Maker</manufacturer>\n<modelName>WAN part</modelName>\n</device></deviceList>\n"
    "<manufacturer>Huawei Technologies Co., Ltd.</manufacturer>\n<manufacturerURL>"
    "http://www.huawei.com</manufacturerURL>\n<modelDescription>"
    "Huawei Home Gateway</modelDescription>\n<modelName>HG531</modelName>\n<modelNumber>"
    "V100R001</modelNumber>\n<UDN>uuid:00e0fc37-2626-2828-2600-a1b2c3d4e5f6</UDN>\n</device>\n"
    "</root>\n";

static const char ZTE_DESC[] =
    "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
    "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><manufacturer>"
    "ZTE</manufacturer><manufacturerURL>http://www.zte.com</manufacturerURL><modelDescription>"
    "ZTE Broadband Home Gateway</modelDescription><modelName>F670LV9.0</modelName><modelNumber>"
    "1.0</modelNumber><serviceList><service><serviceType>"
    "urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType></service></serviceList>"
    "</device></root>";

/* ----------------------------------------------------------------- tests */

static void
expect_inform(const struct rec *r, bool huawei, const char *what)
{
    is_str(rec_get(r, SIG_FIELD_CWMP_MANUFACTURER, 0),
           huawei ? "Huawei Technologies Co., Ltd" : "ZTE", "%s: Manufacturer", what);
    is_str(rec_get(r, SIG_FIELD_CWMP_OUI, 0), huawei ? "00259E" : "44F436", "%s: OUI", what);
    is_str(rec_get(r, SIG_FIELD_CWMP_PRODUCT_CLASS, 0), huawei ? "HG8245H" : "F600W",
           "%s: ProductClass", what);
    is_str(rec_get(r, SIG_FIELD_CWMP_SERIAL_NUMBER, 0),
           huawei ? "48575443A1B2C3D4" : "ZTEEQAWF5J00191", "%s: SerialNumber", what);
    is_str(rec_get(r, SIG_FIELD_CWMP_SOFTWARE_VERSION, 0), huawei ? "V3R017C10S100" : "V6.0.10P2T1",
           "%s: SoftwareVersion", what);
    is_str(rec_get(r, SIG_FIELD_CWMP_HARDWARE_VERSION, 0), huawei ? "10C7.A" : "V6.0",
           "%s: HardwareVersion", what);
}

static void
test_inform(void)
{
    static char buf[8192];
    const char *informs[2] = { HUAWEI_INFORM, ZTE_INFORM };

    for (int v = 0; v < 2; v++) {
        const char *who = v == 0 ? "Huawei" : "ZTE";
        size_t n = with_body(buf, sizeof(buf), INFORM_HEAD, informs[v]);
        size_t cut1 = n / 5, cut2 = n * 2 / 3, have;
        struct http_info info;
        struct rec r;
        char *acc = malloc(n);
        int rv;

        rv = parse_xml(cwmp_parse_inform, informs[v], strlen(informs[v]), &r);
        is_int(rv, 6, "%s Inform alone: six observations", who);
        is_int(r.n, 6, "%s Inform alone: sink saw six", who);
        expect_inform(&r, v == 0, who);

        rv = parse(buf, n, &info, &r);
        is_int(rv, 8, "%s Inform in its POST: host, user agent, six cwmp", who);
        ok(info.is_request && info.is_post, "%s: a POST", who);
        is_int(info.consumed, n, "%s: consumed all", who);
        expect_inform(&r, v == 0, who);

        /* three segments as TCP would deliver them */
        if (acc == NULL)
            abort();
        memcpy(acc, buf, cut1);
        have = cut1;
        ok(need(acc, have) > (long)have, "%s piece 1 (%zu bytes): wait", who, have);
        memcpy(acc + have, buf + cut1, cut2 - cut1);
        have = cut2;
        is_int(need(acc, have), (long)n, "%s pieces 1-2 (%zu bytes): need the total", who, have);
        rv = parse(acc, have, &info, &r);
        ok(rec_count(&r, SIG_FIELD_CWMP_HARDWARE_VERSION) == 0, "%s pieces 1-2: no versions yet",
           who);
        memcpy(acc + have, buf + cut2, n - cut2);
        have = n;
        is_int(need(acc, have), 0, "%s all three pieces: complete", who);
        rv = parse(acc, have, &info, &r);
        is_int(rv, 8, "%s joined: eight observations", who);
        expect_inform(&r, v == 0, "joined");
        free(acc);
    }
}

static void
test_inform_edges(void)
{
    static const struct {
        const char *xml;
        enum sig_field field;
        const char *value; /* NULL: field absent */
        const char *what;
    } cases[] = {
        { "<Inform><DeviceId><Manufacturer>AT&amp;T &lt;&#72;&#x57;&gt;</Manufacturer>"
          "</DeviceId></Inform>",
          SIG_FIELD_CWMP_MANUFACTURER, "AT&T <HW>", "no prefix, references" },
        { "<x:Inform><x:DeviceId><x:OUI><![CDATA[00E0FC&amp;]]></x:OUI></x:DeviceId></x:Inform>",
          SIG_FIELD_CWMP_OUI, "00E0FC&amp;", "CDATA taken as is" },
        { "<Inform><DeviceId><!-- <OUI>FAKE</OUI> --><OUI>00259E</OUI></DeviceId></Inform>",
          SIG_FIELD_CWMP_OUI, "00259E", "comment skipped" },
        { "<Inform><DeviceId a='>'><OUI b=\"/>\">X1</OUI></DeviceId></Inform>",
          SIG_FIELD_CWMP_OUI, "X1", "'>' inside quoted attributes" },
        { "<Inform><DeviceId><OUI>00259E</OUI><SerialNumber>4857</DeviceId></Inform>",
          SIG_FIELD_CWMP_SERIAL_NUMBER, NULL, "value without end tag" },
        { "<Inform><DeviceId><OUI>00259E</OUI><SerialNumber>4857</DeviceId></Inform>",
          SIG_FIELD_CWMP_OUI, "00259E", "values before a broken one" },
        { "<InformResponse><DeviceId><OUI>00259E</OUI></DeviceId></InformResponse>",
          SIG_FIELD_CWMP_OUI, NULL, "InformResponse is not Inform" },
        { "<Inform><DeviceId><Extra><OUI>nested</OUI></Extra><OUI>top</OUI></DeviceId></Inform>",
          SIG_FIELD_CWMP_OUI, "top", "only direct children of DeviceId" },
        { "<Inform><DeviceId><ProductClass>  HG\n 8245  </ProductClass></DeviceId></Inform>",
          SIG_FIELD_CWMP_PRODUCT_CLASS, "HG 8245", "white space cleaned" },
        { "<Inform><DeviceId><OUI/><OUI>second</OUI></DeviceId></Inform>", SIG_FIELD_CWMP_OUI,
          "second", "empty element skipped" },
        { "<Inform><ParameterList><ParameterValueStruct><Name>SoftwareVersion</Name>"
          "<Value>v</Value></ParameterValueStruct></ParameterList></Inform>",
          SIG_FIELD_CWMP_SOFTWARE_VERSION, NULL, "name must end in DeviceInfo.SoftwareVersion" },
        { "<Inform><ParameterList><ParameterValueStruct><Name>DeviceInfo.SoftwareVersion</Name>"
          "<Value>v</Value></ParameterValueStruct></ParameterList></Inform>",
          SIG_FIELD_CWMP_SOFTWARE_VERSION, "v", "bare DeviceInfo.SoftwareVersion" },
        { "<Inform><ParameterList><ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion"
          "</Name></ParameterValueStruct></ParameterList></Inform>",
          SIG_FIELD_CWMP_SOFTWARE_VERSION, NULL, "struct without Value" },
        { "<Inform><ParameterList><ParameterValueStruct><Name>a.DeviceInfo.HardwareVersion</Name>"
          "<Value>1</Value></ParameterValueStruct><ParameterValueStruct><Name>b.DeviceInfo."
          "HardwareVersion</Name><Value>2</Value></ParameterValueStruct></ParameterList></Inform>",
          SIG_FIELD_CWMP_HARDWARE_VERSION, "1", "first version wins" },
        { "<Inform><DeviceId><OUI>a</OUI>", SIG_FIELD_CWMP_OUI, "a", "containers cut short" },
        { "<a:><Inform><DeviceId><OUI>z</OUI></DeviceId></Inform>", SIG_FIELD_CWMP_OUI, "z",
          "a prefix with no name is skipped" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rec r;
        int rv = parse_xml(cwmp_parse_inform, cases[i].xml, strlen(cases[i].xml), &r);

        if (cases[i].value != NULL)
            is_str(rec_get(&r, cases[i].field, 0), cases[i].value, "cwmp: %s", cases[i].what);
        else
            is_int(rec_count(&r, cases[i].field), 0, "cwmp: %s", cases[i].what);
        is_int(rv, r.n, "cwmp: %s: return counts the observations", cases[i].what);
    }
    {
        struct rec r;

        is_int(parse_xml(cwmp_parse_inform, "", 0, &r), 0, "empty: not an Inform");
        is_int(cwmp_parse_inform(NULL, 5, NULL), 0, "NULL: not an Inform");
        is_int(parse_xml(cwmp_parse_inform, HUAWEI_DESC, strlen(HUAWEI_DESC), &r), 0,
               "UPnP description is not an Inform");
    }
}

static void
test_upnp(void)
{
    static char buf[4096];
    struct http_info info;
    struct rec r;
    size_t n;
    int rv;

    rv = parse_xml(upnp_parse_description, HUAWEI_DESC, strlen(HUAWEI_DESC), &r);
    is_int(rv, 5, "Huawei description: five observations");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MANUFACTURER, 0), "Huawei Technologies Co., Ltd.",
           "root device manufacturer, not the embedded one");
    is_int(rec_count(&r, SIG_FIELD_UPNP_MANUFACTURER), 1, "one manufacturer");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MODEL_NAME, 0), "HG531", "modelName");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MODEL_NUMBER, 0), "V100R001", "modelNumber");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MODEL_DESCRIPTION, 0), "Huawei Home Gateway",
           "modelDescription");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MANUFACTURER_URL, 0), "http://www.huawei.com",
           "manufacturerURL");

    n = with_body(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nSERVER: Linux/2.6 UPnP/1.0 x\r\n"
                  "CONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n", ZTE_DESC);
    is_int(need(buf, n - 1), (long)n, "description cut: wait for it");
    rv = parse(buf, n, &info, &r);
    is_int(rv, 6, "ZTE description over HTTP: server and five upnp");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MANUFACTURER, 0), "ZTE", "ZTE manufacturer");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MODEL_NAME, 0), "F670LV9.0", "ZTE modelName");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MODEL_DESCRIPTION, 0), "ZTE Broadband Home Gateway",
           "ZTE modelDescription");
    is_str(rec_get(&r, SIG_FIELD_UPNP_MANUFACTURER_URL, 0), "http://www.zte.com",
           "ZTE manufacturerURL");
    is_int(rec_count(&r, SIG_FIELD_HTTP_TITLE), 0, "XML body: no title looked for");

    {
        static const char no_root[] = "<device><manufacturer>X</manufacturer></device>";
        static const char no_dev[] = "<root><manufacturer>X</manufacturer></root>";
        static const char prefixed[] = "<u:root><u:device><u:modelName>M</u:modelName>"
                                       "</u:device></u:root>";

        is_int(parse_xml(upnp_parse_description, no_root, strlen(no_root), &r), 0,
               "no <root>: not a description");
        is_int(parse_xml(upnp_parse_description, no_dev, strlen(no_dev), &r), 0,
               "no <device>: nothing");
        is_int(parse_xml(upnp_parse_description, prefixed, strlen(prefixed), &r), 1,
               "prefixed names");
        is_str(rec_get(&r, SIG_FIELD_UPNP_MODEL_NAME, 0), "M", "prefixed modelName");
        is_int(upnp_parse_description(NULL, 3, NULL), 0, "NULL: nothing");
    }
}

static void
test_xml_truncation(const char *what, int (*fn)(const uint8_t *, size_t, const struct obs_sink *),
                    const char *xml)
{
    struct rec full, r;
    bool subset = true;
    size_t n = strlen(xml);

    parse_xml(fn, xml, n, &full);
    for (size_t k = 0; k <= n; k++) {
        parse_xml(fn, xml, k, &r);
        subset = subset && rec_subset(&r, &full);
    }
    ok(subset, "%s cut at every length: only values of the whole document", what);
    parse_xml(fn, xml, n - 1, &r);
    is_int(r.n, full.n, "%s without its last byte: every value still there", what);
}

static void
test_xml_truncations(void)
{
    static char buf[8192];
    size_t n;

    n = with_body(buf, sizeof(buf), INFORM_HEAD, ZTE_INFORM);
    test_truncation("ZTE Inform POST", buf, n);
    n = with_body(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n", HUAWEI_DESC);
    test_truncation("Huawei description", buf, n);
    test_xml_truncation("Huawei Inform", cwmp_parse_inform, HUAWEI_INFORM);
    test_xml_truncation("ZTE Inform", cwmp_parse_inform, ZTE_INFORM);
    test_xml_truncation("Huawei description", upnp_parse_description, HUAWEI_DESC);
    test_xml_truncation("ZTE description", upnp_parse_description, ZTE_DESC);
}

/* ------------------------------------------------------- the scanner */

/* xml_text() of the n bytes of x, as a string (out holds cap + 1). */
static const char *
text_of(const char *x, size_t n, char *out, size_t cap)
{
    uint8_t *p = dup_bytes(x, n);
    struct xml_span s = { p, n };
    size_t got = xml_text(s, out, cap);

    free(p);
    out[got <= cap ? got : cap] = '\0';
    return out;
}

/* A reference cut by the end of the buffer is not a reference: its bytes
 * stay as text, and the decoder reads none past the end (ASan). */
static void
test_text_references(void)
{
    static const struct {
        const char *in, *out, *what;
    } cases[] = {
        { "AT&amp;", "AT&", "named reference ending the buffer" },
        { "AT&amp", "AT&amp", "named reference cut before ';'" },
        { "AT&", "AT&", "lone '&' at the end" },
        { "x&#", "x&#", "'&#' at the end" },
        { "x&#x", "x&#x", "'&#x' at the end" },
        { "x&#x4", "x&#x4", "hex digits without ';'" },
        { "x&#65", "x&#65", "decimal digits without ';'" },
        { "x&#65;", "xA", "decimal reference ending the buffer" },
        { "&#;&#x;", "&#;&#x;", "no digits" },
        { "&#0;", "&#0;", "NUL is not a character" },
        { "&#xD800;", "&#xD800;", "a surrogate is not a character" },
        { "&#x110000;", "&#x110000;", "past U+10FFFF" },
        { "&#99999999999;", "&#99999999999;", "overflowing digits" },
        { "&nbsp;&bogus;", "&nbsp;&bogus;", "only the five XML entities" },
        { "&#233;", "\xc3\xa9", "two-byte UTF-8" },
        { "&#X20ac;", "\xe2\x82\xac", "three-byte UTF-8, upper-case X" },
        { "&#x10FFFF;", "\xf4\x8f\xbf\xbf", "four-byte UTF-8, the last code point" },
        { "&#32;a&#x9;&#10; b&#32;", "a b", "referenced white space folds and trims" },
        { "a<![CDATA[ &amp; ]]>b", "a &amp; b", "CDATA as is, its spaces folded" },
        { "ab<![CDATA[cd", "ab", "CDATA not closed: stop" },
        { "ab<!-- c", "ab", "comment not closed: stop" },
        { "ab<c", "ab", "tag not closed: stop" },
        { "a<b x='>'>c</b>d", "a'>cd", "markup in text ends at the first '>'" },
        { "a<?pi?>b<!-- c -->d", "abd", "instruction and comment dropped" },
    };
    char out[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        is_str(text_of(cases[i].in, strlen(cases[i].in), out, sizeof(out) - 1), cases[i].out,
               "xml_text: %s", cases[i].what);
    is_str(text_of("&#233;", 6, out, 1), "\xc3", "xml_text: cap cuts inside a character");
    is_int(xml_text((struct xml_span){ (const uint8_t *)"abc", 3 }, out, 0), 0,
           "xml_text: cap 0 writes nothing");
    is_int(xml_text((struct xml_span){ NULL, 0 }, out, sizeof(out)), 0, "xml_text: empty span");
}

/* Content of the first element name in x (exact-size copy), or NULL. */
static const char *
elem_of(const char *x, const char *name, char *out, size_t cap)
{
    uint8_t *p = dup_bytes(x, strlen(x));
    struct xml_span s = { p, strlen(x) }, c;
    const char *rv = NULL;

    if (xml_find_elem(s, name, &c) && c.n < cap) {
        memcpy(out, c.p, c.n);
        out[c.n] = '\0';
        rv = out;
    }
    free(p);
    return rv;
}

static void
test_names(void)
{
    static const struct {
        const char *xml, *name, *content, *what;
    } cases[] = {
        { "<a:b:Inform>x</a:b:Inform>", "Inform", "x", "prefix stripped at the last ':'" },
        { "<INFORM>x</inform>", "Inform", "x", "any case" },
        { "<p:Inform>x</q:Inform>", "Inform", "x", "end tag with another prefix" },
        { "<Inform:>x</Inform:><Inform>y</Inform>", "Inform", "y", "a name ending in ':' is none" },
        { "<:Inform>x</:Inform>", "Inform", "x", "empty prefix" },
        { "<InformX>x</InformX>", "Inform", NULL, "no prefix match on the name" },
        { "<x:Inform a=\"</x:Inform>\">in</x:Inform>", "Inform", "in",
          "an end tag inside an attribute value" },
        { "<Inform><Inform>a</Inform>b</Inform>", "Inform", "<Inform>a</Inform>b",
          "same-named elements inside are counted" },
        { "<Inform>to the end", "Inform", "to the end", "no end tag: content to the end" },
        { "<Inform/><Inform>x</Inform>", "Inform", "", "empty element" },
        { "< Inform>x</Inform>", "Inform", NULL, "'<' then space is text" },
        { "<Inform", "Inform", NULL, "start tag cut" },
        { "<Inform a='>", "Inform", NULL, "start tag cut inside a quote" },
        { "<!-- <Inform>x</Inform> -->", "Inform", NULL, "inside a comment" },
        { "<![CDATA[<Inform>x</Inform>]]>", "Inform", NULL, "inside CDATA" },
    };
    char out[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        is_str(elem_of(cases[i].xml, cases[i].name, out, sizeof(out)), cases[i].content,
               "xml_find_elem: %s", cases[i].what);
}

static void
test_children(void)
{
    static const char x[] = "<a>1</a>text<b/><a><a>2</a></a><c>3<d>";
    uint8_t *p = dup_bytes(x, strlen(x));
    struct xml_span s = { p, strlen(x) }, local, content;
    size_t pos = 0;
    bool got;

    got = xml_next_child(s, &pos, &local, &content);
    ok(got && xml_ieq_lit(local, "A") && content.n == 1 && xml_at(content, 0) == '1',
       "xml_next_child: first child, any case");
    got = xml_next_child(s, &pos, &local, &content);
    ok(got && xml_ieq_lit(local, "b") && content.n == 0,
       "xml_next_child: empty child, text between skipped");
    got = xml_next_child(s, &pos, &local, &content);
    ok(got && xml_ieq_lit(local, "a") && content.n == 8, "xml_next_child: nested same name whole");
    got = xml_next_child(s, &pos, &local, &content);
    ok(!got && pos == s.n, "xml_next_child: stops at a child without end tag");
    ok(!xml_next_child(s, &pos, &local, &content), "xml_next_child: and stays stopped");

    is_int(xml_at(s, s.n), -1, "xml_at: past the end is -1");
    is_int(xml_from(s, s.n + 5).n, 0, "xml_from: offset past the end clamps to empty");
    is_int(xml_sub(s, 3, SIZE_MAX).n, s.n - 3, "xml_sub: length clamps to what is left");
    ok(!xml_ieq_lit(xml_sub(s, 1, 1), "ab"), "xml_ieq_lit: lengths differ");
    free(p);
}

static void
test_read_fields(void)
{
    static const struct xml_field f[] = {
        { "OUI", SIG_FIELD_CWMP_OUI },
        { "ProductClass", SIG_FIELD_CWMP_PRODUCT_CLASS },
    };
    static const char x[] = "<OUI> </OUI><oui>A</oui><OUI>B</OUI><x><ProductClass>no</ProductClass>"
                            "</x><ProductClass>P</ProductClass>";
    struct rec r = { 0 };
    struct obs_sink sink = { rec_emit, &r };
    uint8_t *p = dup_bytes(x, strlen(x));
    struct xml_span s = { p, strlen(x) };
    int rv = xml_read_fields(s, f, 2, &sink);

    is_int(rv, 2, "xml_read_fields: two observations");
    is_int(rec_count(&r, SIG_FIELD_CWMP_OUI), 1, "xml_read_fields: one per field");
    is_str(rec_get(&r, SIG_FIELD_CWMP_OUI, 0), "A", "xml_read_fields: first non-empty wins");
    is_str(rec_get(&r, SIG_FIELD_CWMP_PRODUCT_CLASS, 0), "P",
           "xml_read_fields: direct children only");
    is_int(xml_read_fields(s, f, 0, &sink), 0, "xml_read_fields: no fields, nothing");
    free(p);
}

int
main(void)
{
    test_inform();
    test_inform_edges();
    test_upnp();
    test_xml_truncations();
    test_text_references();
    test_names();
    test_children();
    test_read_fields();
    return done_testing();
}
