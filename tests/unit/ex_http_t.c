/* ex_http_t.c - unit tests for the HTTP/1.x extractor (ex_http.h): headers,
 * <title>, message framing. The TR-069 Inform and UPnP description readers
 * are tested in ex_cwmp_t.c.
 *
 * References: RFC 9112. Header and body values follow the public
 * fingerprints in /work/shared/reference/fingerprints.md (sections 1.6,
 * 2.5); values not given there are made up. Every parse runs on an
 * exact-size heap copy so AddressSanitizer catches a read past the end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_TEST_HTTP /* and the HTTP parse helpers */
#include "ex_test_sink.h"
#include "tap.h"
#include "telexpose/ex_http.h"

/* ---------------------------------------------------------- test inputs */

static const char HUAWEI_401[] = "HTTP/1.1 401 Unauthorized\r\n"
                                 "Server: Linux UPnP/1.0 Huawei-ATP-IGD\r\n"
                                 "WWW-Authenticate: Basic realm=\"HuaweiHomeGateway\"\r\n"
                                 "Content-Length: 0\r\n"
                                 "\r\n";

static const char ZTE_HEAD[] =
    "HTTP/1.1 401 Unauthorized\r\n"
    "Server:   Mini web server 1.0 ZTE corp 2005.\t\r\n"
    "WWW-Authenticate: Digest realm=\"cpe@zte.com\", qop=\"auth\", "
    "nonce=\"6fcc4b5a0f7b2e9e\", opaque=\"5ccc069c403ebaf9\"\r\n"
    "www-authenticate: Basic realm=\"cpe@zte.com\"\r\n"
    "Content-Type: text/html\r\n";

static const char ZTE_BODY[] = "<html><head>\n<TITLE>\n   ZTE  &amp; Co\t\tRouter &#8211; F600W  "
                               "</TITLE></head><body>401</body></html>";

/* Frame 3 of /work/shared/pcaps/vendor/http_origin_different_than_host.pcap
 * (TCP payload, 607 bytes), extracted with
 * tshark -r ... -Y frame.number==3 -T fields -e tcp.payload. */
static const char PCAP_REQUEST[] =
    "GET /?topreferer=optawidgets.365scores.com HTTP/1.1\r\n"
    "Host: csb.performgroup.io\r\n"
    "Connection: Upgrade\r\n"
    "Pragma: no-cache\r\n"
    "Cache-Control: no-cache\r\n"
    "User-Agent: Mozilla/5.0 (Linux; Android 9; JKM-LX1 Build/HUAWEIJKM-LX1; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/106.0.5249.118 Mobile "
    "Safari/537.36\r\n"
    "Upgrade: websocket\r\n"
    "Origin: http://optawidgets.365scores.com\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "Accept-Encoding: gzip, deflate\r\n"
    "Accept-Language: ar-OM,ar;q=0.9,en-US;q=0.8,en;q=0.7\r\n"
    "Sec-WebSocket-Key: sb9H3YzYsVPR/qPgmiLeEQ==\r\n"
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    "\r\n";

#define PCAP_UA                                                                                    \
    "Mozilla/5.0 (Linux; Android 9; JKM-LX1 Build/HUAWEIJKM-LX1; wv) AppleWebKit/537.36 "        \
    "(KHTML, like Gecko) Version/4.0 Chrome/106.0.5249.118 Mobile Safari/537.36"

/* ----------------------------------------------------------------- tests */

static void
test_looks_like(void)
{
    static const char *const yes[] = {
        "GET / HTTP/1.1\r\n", "POST /acs HTTP/1.1", "HEAD / ", "PUT /x", "OPTIONS * HTTP/1.1",
        "DELETE /x", "PATCH /x", "CONNECT a:443", "HTTP/1.1 200 OK", "HTTP/1.0 404",
    };
    static const char *const no[] = {
        "", "GE", "GET", "get / HTTP/1.1", "GET/", "M-SEARCH * HTTP/1.1", "NOTIFY * HTTP/1.1",
        "SUBSCRIBE /x", "HTTP/2 200", "SSH-2.0-OpenSSH", "RTSP/1.0 200 OK", " GET /",
    };

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        ok(http_looks_like((const uint8_t *)yes[i], strlen(yes[i])), "looks like HTTP: %s", yes[i]);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        ok(!http_looks_like((const uint8_t *)no[i], strlen(no[i])), "not HTTP: '%s'", no[i]);
    ok(!http_looks_like(NULL, 0), "NULL is not HTTP");
    {
        struct http_info info = { true, true, 7, true, 99, true };
        struct rec r;

        is_int(parse("SSH-2.0-x\r\n\r\n", 13, &info, &r), -1, "parse: not HTTP is -1");
        ok(!info.is_request && info.status == 0 && info.consumed == 0, "parse: info cleared");
        is_int(parse("GET", 3, &info, &r), -1, "parse: a method cut short is not HTTP yet");
        is_int(http_parse(NULL, 0, NULL, NULL), -1, "parse: NULL is not HTTP");
    }
    ok(!http_looks_like((const uint8_t *)"GET / HTTP/1.1", 3), "length bounds the prefix");
}

static void
test_huawei_response(void)
{
    struct http_info info;
    struct rec r;
    int rv = parse(HUAWEI_401, strlen(HUAWEI_401), &info, &r);

    is_int(rv, 2, "Huawei 401: two observations");
    is_int(r.n, 2, "Huawei 401: sink saw two");
    is_str(rec_get(&r, SIG_FIELD_HTTP_SERVER, 0), "Linux UPnP/1.0 Huawei-ATP-IGD", "Server");
    is_str(rec_get(&r, SIG_FIELD_HTTP_WWW_AUTHENTICATE, 0), "Basic realm=\"HuaweiHomeGateway\"",
           "WWW-Authenticate as-is");
    ok(!info.is_request && !info.is_post && !info.basic_auth, "a response");
    is_int(info.status, 401, "status 401");
    is_int(info.consumed, strlen(HUAWEI_401), "consumed the whole message");
    is_int(need(HUAWEI_401, strlen(HUAWEI_401)), 0, "need: complete");
    rv = http_parse((const uint8_t *)HUAWEI_401, strlen(HUAWEI_401), NULL, NULL);
    is_int(rv, 2, "NULL info and sink: still counts");
}

static void
test_zte_response(void)
{
    char buf[2048];
    size_t n = with_body(buf, sizeof(buf), ZTE_HEAD, ZTE_BODY);
    struct http_info info;
    struct rec r;
    int rv;

    is_int(need(buf, n), 0, "ZTE 401 with HTML body: complete");
    /* HTML is not waited for (its title is near the top): headers suffice. */
    is_int(need(buf, n - 10), 0, "ZTE HTML body cut: nothing more needed");
    rv = parse(buf, n, &info, &r);
    is_int(rv, 4, "ZTE: server, two challenges, title");
    is_int(r.n, 4, "ZTE: sink saw four");
    is_str(rec_get(&r, SIG_FIELD_HTTP_SERVER, 0), "Mini web server 1.0 ZTE corp 2005.",
           "Server trimmed of spaces and tabs");
    is_str(rec_get(&r, SIG_FIELD_HTTP_WWW_AUTHENTICATE, 0),
           "Digest realm=\"cpe@zte.com\", qop=\"auth\", nonce=\"6fcc4b5a0f7b2e9e\", "
           "opaque=\"5ccc069c403ebaf9\"",
           "Digest challenge");
    is_str(rec_get(&r, SIG_FIELD_HTTP_WWW_AUTHENTICATE, 1), "Basic realm=\"cpe@zte.com\"",
           "second challenge, lower-case header name");
    is_str(rec_get(&r, SIG_FIELD_HTTP_TITLE, 0), "ZTE & Co Router \xe2\x80\x93 F600W",
           "title: upper-case tag, trimmed, runs collapsed, references decoded");
    is_int(info.consumed, n, "consumed headers and body");

    /* the body cut before </TITLE>: no title, headers still read */
    rv = parse(buf, n - strlen(ZTE_BODY) + 40, &info, &r);
    is_int(rv, 3, "cut title: headers only");
    is_int(rec_count(&r, SIG_FIELD_HTTP_TITLE), 0, "cut title: no title");
    is_int(info.consumed, n - strlen(ZTE_BODY) + 40, "cut body: consumed what is there");
}

static void
test_request(void)
{
    static const char req[] = "GET /index.html HTTP/1.1\r\n"
                              "host: 192.168.1.1:8080\r\n"
                              "User-Agent:Dalvik/2.1.0 (Linux; U; Android 9; ANE-LX1 "
                              "Build/HUAWEIANE-L21)\r\n"
                              "User-Agent: second\r\n"
                              "Server: not-for-requests\r\n"
                              "Authorization: Basic YWRtaW46YWRtaW4=\r\n"
                              "\r\n"
                              "GET /next HTTP/1.1\r\n\r\n";
    static const char v6[] = "HEAD / HTTP/1.1\nHost: [2001:db8::1]:80\nAuthorization: Digest x\n\n";
    static const char bare[] = "OPTIONS * HTTP/1.1\r\nHost: [2001:db8::1\r\n"
                               "Authorization: Basicx\r\n\r\n";
    struct http_info info;
    struct rec r;
    int rv = parse(req, strlen(req), &info, &r);

    is_int(rv, 2, "request: host and first user agent");
    is_str(rec_get(&r, SIG_FIELD_HTTP_HOST, 0), "192.168.1.1", "Host without port");
    is_str(rec_get(&r, SIG_FIELD_HTTP_USER_AGENT, 0),
           "Dalvik/2.1.0 (Linux; U; Android 9; ANE-LX1 Build/HUAWEIANE-L21)",
           "User-Agent without space after the colon");
    is_int(rec_count(&r, SIG_FIELD_HTTP_SERVER), 0, "Server is not read in a request");
    ok(info.is_request && !info.is_post && info.basic_auth, "GET with Basic authorization");
    is_int(info.status, 0, "no status for a request");
    is_int(info.consumed, strlen(req) - strlen("GET /next HTTP/1.1\r\n\r\n"),
           "pipelined: consumed the first message only");

    rv = parse(v6, strlen(v6), &info, &r);
    is_int(rv, 1, "LF-only request");
    is_str(rec_get(&r, SIG_FIELD_HTTP_HOST, 0), "2001:db8::1", "IPv6 literal host, no brackets");
    ok(!info.basic_auth, "Digest is not Basic");
    is_int(info.consumed, strlen(v6), "LF LF ends the headers");

    rv = parse(bare, strlen(bare), &info, &r);
    is_str(rec_get(&r, SIG_FIELD_HTTP_HOST, 0), "[2001:db8::1", "unclosed bracket kept as is");
    ok(!info.basic_auth, "'Basicx' is not the Basic scheme");
}

static void
test_pcap_request(void)
{
    struct http_info info;
    struct rec r;
    int rv;

    is_int(strlen(PCAP_REQUEST), 607, "pcap request is 607 bytes as captured");
    rv = parse(PCAP_REQUEST, strlen(PCAP_REQUEST), &info, &r);
    is_int(rv, 2, "pcap request: two observations");
    is_str(rec_get(&r, SIG_FIELD_HTTP_USER_AGENT, 0), PCAP_UA, "pcap User-Agent (HUAWEIJKM-LX1)");
    is_str(rec_get(&r, SIG_FIELD_HTTP_HOST, 0), "csb.performgroup.io", "pcap Host");
    is_int(info.consumed, 607, "pcap: consumed all");
    is_int(need(PCAP_REQUEST, 607), 0, "pcap GET: complete at the blank line");
    is_int(need(PCAP_REQUEST, 300), 301, "pcap GET cut: one more byte at least");
}

static void
test_title(void)
{
    static const struct {
        const char *msg;
        const char *title; /* NULL: none */
        const char *what;
    } cases[] = {
        { "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n"
          "<html><head><title id=\"t\">Huawei xDSL</title></head></html>",
          "Huawei xDSL", "attributes on the tag, close-delimited body" },
        { "HTTP/1.1 200 OK\r\n\r\n<TiTlE>a&lt;b&gt;&quot;c&quot; &#65;&#x42;&nbsp;&amp;</tItLe>",
          "a<b>\"c\" AB &", "no Content-Type, mixed case, references" },
        { "HTTP/1.1 200 OK\r\n\r\n<title>&bogus; &#0; &#xD800; &#99999999; &#;&</title>",
          "&bogus; &#0; &#xD800; &#99999999; &#;&", "unknown references left as text" },
        { "HTTP/1.1 200 OK\r\n\r\n<titles>no</titles><title>yes</title>", "yes",
          "<titles> is not <title>" },
        { "HTTP/1.1 200 OK\r\n\r\n<title/><title>second</title>", "second", "<title/> is skipped" },
        { "HTTP/1.1 200 OK\r\n\r\n<title>  \r\n </title>", NULL, "blank title" },
        { "HTTP/1.1 200 OK\r\n\r\n<title>never closed", NULL, "no end tag" },
        { "HTTP/1.1 200 OK\r\n\r\n<title", NULL, "tag cut short" },
        { "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n<title>x</title>", NULL,
          "not HTML" },
        { "HTTP/1.1 204 No Content\r\n\r\n<title>x</title>", NULL, "204 has no body" },
        { "POST / HTTP/1.1\r\nContent-Length: 16\r\n\r\n<title>x</title>", NULL,
          "requests have no title" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rec r;

        parse(cases[i].msg, strlen(cases[i].msg), NULL, &r);
        if (cases[i].title != NULL)
            is_str(rec_get(&r, SIG_FIELD_HTTP_TITLE, 0), cases[i].title, "title: %s",
                   cases[i].what);
        else
            is_int(rec_count(&r, SIG_FIELD_HTTP_TITLE), 0, "no title: %s", cases[i].what);
    }
}

static void
test_chunked(void)
{
    static const char msg[] = "HTTP/1.1 200 OK\r\n"
                              "Content-Type: text/html\r\n"
                              "Transfer-Encoding: chunked\r\n"
                              "Content-Length: 3\r\n"
                              "\r\n"
                              "a;ext=1\r\n<html><tit\r\n"
                              "0B\r\nle>Chunked \r\n"
                              "8\r\nTitle</t\r\n"
                              "7\r\nitle>  \r\n"
                              "0\r\nX-Trailer: 1\r\n\r\n"
                              "HTTP/1.1 304 Not Modified\r\n\r\n";
    size_t first = strlen(msg) - strlen("HTTP/1.1 304 Not Modified\r\n\r\n");
    struct http_info info;
    struct rec r;

    is_int(need(msg, 95), 0, "chunked: parse once the headers are in");
    parse(msg, strlen(msg), &info, &r);
    is_str(rec_get(&r, SIG_FIELD_HTTP_TITLE, 0), "Chunked Title", "title across chunks");
    is_int(info.consumed, first, "chunked: consumed through the trailers");
    parse(msg, first - 2, &info, &r);
    is_int(info.consumed, first - 2, "chunked, trailers cut: consumed all");
    parse(msg + first, strlen(msg) - first, &info, &r);
    is_int(info.status, 304, "the next message is the 304");

    {
        static const char bad[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                                  "4\r\n<tit\r\nzz\r\nle>x</title>";
        size_t at = strlen(bad) - strlen("zz\r\nle>x</title>");

        parse(bad, strlen(bad), &info, &r);
        is_int(info.consumed, at, "bad chunk size: body ends before it");
        is_int(r.n, 0, "bad chunk size: no title");
    }
    {
        static const char cut[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "ffffffffffffffffff\r\n<title>x</title>";

        parse(cut, strlen(cut), &info, &r);
        is_int(info.consumed, strlen(cut) - strlen("ffffffffffffffffff\r\n<title>x</title>"),
               "chunk size overflow: body ends before it");
    }
    {
        static const char part[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "100\r\n<title>partial</title>";

        parse(part, strlen(part), &info, &r);
        is_str(rec_get(&r, SIG_FIELD_HTTP_TITLE, 0), "partial", "chunk present in part is read");
        is_int(info.consumed, strlen(part), "partial chunk: consumed all");
    }
}

static void
test_need(void)
{
    char buf[HTTP_HEADER_MAX + HTTP_BODY_MAX + 512];
    char body[HTTP_BODY_MAX + 2];
    size_t n, hl;

    n = with_body(buf, sizeof(buf), "POST /upload HTTP/1.1\r\nHost: h\r\n", "0123456789abcdef");
    hl = n - 16;
    is_int(need(buf, hl), (long)n, "POST headers only: need headers + body");
    is_int(need(buf, hl + 7), (long)n, "POST half a body: still the total");
    is_int(need(buf, n), 0, "POST whole: complete");
    is_int(need(buf, hl - 1), (long)hl, "headers cut: one more byte");
    is_int(need(buf, 4), 5, "four bytes: one more");
    is_int(need("FOO / HTTP/1.1\r\n\r\n", 18), -1, "not HTTP: never");
    is_int(need("POS", 3), 4, "method cut short: one more byte");
    is_int(need("HTTP/", 5), 6, "version cut short: one more byte");
    is_int(need("", 0), 1, "nothing yet: one byte");
    is_int(http_message_need(NULL, 0), 1, "NULL: one byte");
    is_int(need("POSTX", 5), -1, "not a method: never");

    n = with_body(buf, sizeof(buf), "PUT /x HTTP/1.1\r\n", "0123456789abcdef");
    is_int(need(buf, n - 16), 0, "PUT body not worth waiting for");

    n = with_body(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n", "PNGDATA");
    is_int(need(buf, n - 7), 0, "image body not worth waiting for");
    n = with_body(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n", "<root/>");
    is_int(need(buf, n - 7), (long)n, "XML body: wait for it");
    n = with_body(buf, sizeof(buf), "HTTP/1.1 304 Not Modified\r\nContent-Type: text/html\r\n",
                  "<html>");
    is_int(need(buf, n - 6), 0, "304: no body");
    n = with_body(buf, sizeof(buf), "HTTP/1.1 100 Continue\r\nContent-Type: text/html\r\n",
                  "<html>");
    is_int(need(buf, n - 6), 0, "1xx: no body");

    memset(body, 'x', sizeof(body) - 1);
    body[sizeof(body) - 1] = '\0'; /* HTTP_BODY_MAX + 1 bytes */
    n = with_body(buf, sizeof(buf), "POST / HTTP/1.1\r\n", body);
    is_int(need(buf, n - sizeof(body) + 1), 0, "body over HTTP_BODY_MAX: do not wait");
    body[sizeof(body) - 2] = '\0'; /* exactly HTTP_BODY_MAX */
    n = with_body(buf, sizeof(buf), "POST / HTTP/1.1\r\n", body);
    is_int(need(buf, n - HTTP_BODY_MAX), (long)n, "body of exactly HTTP_BODY_MAX: wait");
}

static void
test_bad_length(void)
{
    static const char *const bad[] = { "-5", "99999999999999999999999", "12abc", "", "+5",
                                       "0x10", "5, 5", "1 2" };
    char buf[512];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct http_info info;
        struct rec r;
        int n = snprintf(buf, sizeof(buf),
                         "POST / HTTP/1.1\r\nContent-Length: %s\r\nUser-Agent: u\r\n\r\nBODY",
                         bad[i]);

        is_int(need(buf, (size_t)n), 0, "bad Content-Length '%s': no wait", bad[i]);
        is_int(parse(buf, (size_t)n, &info, &r), 1, "bad Content-Length '%s': headers read",
               bad[i]);
        is_int(info.consumed, (size_t)n - 4, "bad Content-Length '%s': request body not taken",
               bad[i]);
        n = snprintf(buf, sizeof(buf),
                     "HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n<title>t</title>", bad[i]);
        parse(buf, (size_t)n, &info, &r);
        is_int(info.consumed, (size_t)n, "bad Content-Length '%s': response runs to the end",
               bad[i]);
        is_str(rec_get(&r, SIG_FIELD_HTTP_TITLE, 0), "t", "bad Content-Length '%s': title read",
               bad[i]);
    }
    {
        static const char two[] = "POST / HTTP/1.1\r\nContent-Length: 4\r\n"
                                  "Content-Length: 5\r\n\r\nBODY";
        static const char same[] = "POST / HTTP/1.1\r\nContent-Length: 4\r\n"
                                   "Content-Length: 4\r\n\r\nBODY";
        struct http_info info;
        struct rec r;

        is_int(need(two, strlen(two) - 4), 0, "two different lengths: no wait");
        parse(two, strlen(two), &info, &r);
        is_int(info.consumed, strlen(two) - 4, "two different lengths: no body");
        is_int(need(same, strlen(same) - 4), (long)strlen(same), "same length twice: fine");
    }
    {
        static const char big[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                  "Content-Length: 1000000\r\n\r\n<title>big</title>";
        struct http_info info;
        struct rec r;

        is_int(need(big, strlen(big)), 0, "huge Content-Length: parse what is there");
        parse(big, strlen(big), &info, &r);
        is_str(rec_get(&r, SIG_FIELD_HTTP_TITLE, 0), "big", "huge Content-Length: title read");
        is_int(info.consumed, strlen(big), "huge Content-Length: consumed what is there");
    }
}

static void
test_header_limit(void)
{
    static char buf[HTTP_HEADER_MAX * 2];
    size_t n = 0;
    struct http_info info;
    struct rec r;

    n += (size_t)sprintf(buf + n, "GET / HTTP/1.1\r\nUser-Agent: early\r\n");
    while (n < HTTP_HEADER_MAX + 100)
        n += (size_t)sprintf(buf + n, "X-Pad: %060d\r\n", 0);
    n += (size_t)sprintf(buf + n, "Host: late\r\n");
    is_int(need(buf, n), -1, "header block over the limit: never complete");
    is_int(parse(buf, n, &info, &r), 1, "over the limit: the early header is read");
    is_str(rec_get(&r, SIG_FIELD_HTTP_USER_AGENT, 0), "early", "early User-Agent");
    is_int(rec_count(&r, SIG_FIELD_HTTP_HOST), 0, "a header past the limit is not read");
    is_int(info.consumed, n, "incomplete head: consumed all");
    n += (size_t)sprintf(buf + n, "\r\n");
    is_int(need(buf, n), -1, "ending past the limit: still never");
    is_int(need(buf, HTTP_HEADER_MAX - 1), HTTP_HEADER_MAX, "just under the limit: wait");
}

static void
test_truncations(void)
{
    static char buf[8192];
    size_t n;

    test_truncation("Huawei 401", HUAWEI_401, strlen(HUAWEI_401));
    n = with_body(buf, sizeof(buf), ZTE_HEAD, ZTE_BODY);
    test_truncation("ZTE 401", buf, n);
    test_truncation("pcap request", PCAP_REQUEST, strlen(PCAP_REQUEST));
}

int
main(void)
{
    test_looks_like();
    test_huawei_response();
    test_zte_response();
    test_request();
    test_pcap_request();
    test_title();
    test_chunked();
    test_need();
    test_bad_length();
    test_header_limit();
    test_truncations();
    return done_testing();
}
