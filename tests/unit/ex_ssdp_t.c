/* ex_ssdp_t.c - unit tests for ssdp_parse(): NOTIFY, search responses,
 * M-SEARCH, LOCATION copying, truncation and non-SSDP input.
 *
 * Reference: include/telexpose/ex_ssdp.h (contract), UPnP Device
 * Architecture 2.0 section 1. The ssdp_* messages are UDP payloads from
 * /work/shared/pcaps/mixed/1kxun.pcap (frames 3, 736, 737; upnp.pcap holds
 * only WS-Discovery on port 3702). Each parse runs on an exact-size heap
 * copy so AddressSanitizer catches any read past the datagram.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_test_sink.h"
#include "tap.h"
#include "telexpose/ex_ssdp.h"

static int
parse(const void *msg, size_t len, char *loc, size_t loclen, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *copy = dup_bytes(msg, len);
    int rc = ssdp_parse(copy, len, loc, loclen, &sink);

    free(copy);
    return rc;
}

#define parse_lit(lit, loc, loclen, r) parse((lit), sizeof(lit) - 1, (loc), (loclen), (r))

/* Frame 3: M-SEARCH for an Internet gateway. */
static const char ssdp_msearch[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "Host:239.255.255.250:1900\r\n"
    "ST:urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
    "Man:\"ssdp:discover\"\r\n"
    "MX:3\r\n"
    "\r\n";

/* Frame 736: NOTIFY ssdp:alive from Windows UPnP Device Host (IPv4). */
static const char ssdp_notify4[] =
    "NOTIFY * HTTP/1.1\r\n"
    "Host: 239.255.255.250:1900\r\n"
    "NT: upnp:rootdevice\r\n"
    "NTS: ssdp:alive\r\n"
    "Location: http://192.168.5.49:2869/upnphost/udhisapi.dll?content=uuid:9319395a-4d03-4750"
    "-bb1b-4663933ab812\r\n"
    "USN: uuid:9319395a-4d03-4750-bb1b-4663933ab812::upnp:rootdevice\r\n"
    "Cache-Control: max-age=900\r\n"
    "Server: Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0\r\n"
    "OPT:\"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
    "01-NLS: d07b435d299b41784ca3d2ae2b959948\r\n"
    "\r\n";

/* Frame 737: the same announcement over IPv6. */
static const char ssdp_notify6[] =
    "NOTIFY * HTTP/1.1\r\n"
    "Host: [FF02::C]:1900\r\n"
    "NT: upnp:rootdevice\r\n"
    "NTS: ssdp:alive\r\n"
    "Location: http://[fe80::9bd:81dd:2fdc:5750]:2869/upnphost/udhisapi.dll?content=uuid:9319"
    "395a-4d03-4750-bb1b-4663933ab812\r\n"
    "USN: uuid:9319395a-4d03-4750-bb1b-4663933ab812::upnp:rootdevice\r\n"
    "Cache-Control: max-age=900\r\n"
    "Server: Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0\r\n"
    "OPT:\"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
    "01-NLS: d07b435d299b41784ca3d2ae2b959948\r\n"
    "\r\n";

#define WIN_SERVER "Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0"
#define WIN_USN "uuid:9319395a-4d03-4750-bb1b-4663933ab812::upnp:rootdevice"

static void
test_pcap(void)
{
    struct rec r;
    char loc[256];
    bool ok_all = true;

    memset(loc, 'z', sizeof(loc));
    is_int(parse_lit(ssdp_msearch, loc, sizeof(loc), &r), 0, "pcap M-SEARCH: 0");
    ok(r.n == 0 && loc[0] == '\0', "  nothing emitted, location empty");

    is_int(parse_lit(ssdp_notify4, loc, sizeof(loc), &r), 2, "pcap NOTIFY (IPv4)");
    ok(rec_is(&r, 0, SIG_FIELD_SSDP_USN, WIN_USN), "  USN");
    ok(rec_is(&r, 1, SIG_FIELD_SSDP_SERVER, WIN_SERVER), "  SERVER");
    is_str(loc,
           "http://192.168.5.49:2869/upnphost/udhisapi.dll?content=uuid:9319395a-4d03-4750-bb1b-"
           "4663933ab812",
           "  LOCATION copied");
    is_int(parse_lit(ssdp_notify6, loc, sizeof(loc), &r), 2, "pcap NOTIFY (IPv6)");
    is_str(loc,
           "http://[fe80::9bd:81dd:2fdc:5750]:2869/upnphost/udhisapi.dll?content=uuid:"
           "9319395a-4d03-4750-bb1b-4663933ab812",
           "  LOCATION with an IPv6 literal");

    /* Truncation: never more than the whole, values are prefixes. */
    for (size_t cut = 0; cut < sizeof(ssdp_notify4) - 1; cut++) {
        int rc = parse(ssdp_notify4, cut, loc, sizeof(loc), &r);

        if ((cut < 17 && rc != -1) || (cut >= 17 && rc != r.n) || rc > 2)
            ok_all = false;
        for (int i = 0; i < r.n; i++) {
            const char *full = r.field[i] == SIG_FIELD_SSDP_SERVER ? WIN_SERVER : WIN_USN;

            if (r.len[i] > strlen(full) || memcmp(r.value[i], full, r.len[i]) != 0)
                ok_all = false;
        }
    }
    ok(ok_all, "every truncation: -1 before the start line, then prefixes");
}

static void
test_response(void)
{
    struct rec r;
    char loc[16];
    static const char resp[] = "HTTP/1.1 200 OK\r\n"
                               "CACHE-CONTROL: max-age=120\r\n"
                               "ST: upnp:rootdevice\r\n"
                               "usn: uuid:fc4ec57e-b051-11db-88f8-0060085db3f6::upnp:rootdevice\r\n"
                               "EXT:\r\n"
                               "server:ZTE/1.0 UPnP/1.0 miniupnpd/1.0  \r\n"
                               "Location: http://192.168.1.1:5431/dyndev/uuid:fc4ec57e\r\n"
                               "LOCATION: http://second/\r\n"
                               "SERVER: second server\r\n"
                               "\r\n";

    is_int(parse_lit(resp, loc, sizeof(loc), &r), 2, "search response");
    ok(rec_is(&r, 0, SIG_FIELD_SSDP_USN,
              "uuid:fc4ec57e-b051-11db-88f8-0060085db3f6::upnp:rootdevice"),
       "  lower-case usn");
    ok(rec_is(&r, 1, SIG_FIELD_SSDP_SERVER, "ZTE/1.0 UPnP/1.0 miniupnpd/1.0"),
       "  first SERVER, trimmed");
    is_str(loc, "http://192.168.", "  LOCATION cut to loclen-1");
    is_int(parse_lit(resp, NULL, 0, &r), 2, "NULL location");
    is_int(parse_lit(resp, loc, 0, &r), 2, "loclen 0: location untouched");
    is_int(parse_lit(resp, loc, 1, &r), 2, "loclen 1");
    is_str(loc, "", "  empty string");
    is_int(ssdp_parse((const uint8_t *)resp, sizeof(resp) - 1, NULL, 0, NULL), 2, "NULL sink");

    is_int(parse_lit("HTTP/1.1 200\r\nSERVER: a\r\n", loc, sizeof(loc), &r), 1,
           "status without reason");
    is_int(parse_lit("NOTIFY * HTTP/1.1\nServer: b\n\nServer: c", loc, sizeof(loc), &r), 1,
           "bare LF; body ignored");
    ok(rec_is(&r, 0, SIG_FIELD_SSDP_SERVER, "b"), "  value b");
    is_int(parse_lit("NOTIFY * HTTP/1.1\r\nSERVER:\r\nX-SERVER: x\r\n SERVER: folded\r\n"
                     "SERVERS: y\r\nno colon\r\nUSN :  u1 \r\n",
                     loc, sizeof(loc), &r),
           1, "near-miss names, empty value, folding");
    ok(rec_is(&r, 0, SIG_FIELD_SSDP_USN, "u1"), "  USN with space before colon");
    is_str(loc, "", "  no LOCATION: empty");
}

static void
test_not_ssdp(void)
{
    struct rec r;
    char loc[32] = "stale";

    is_int(parse_lit("HTTP/1.1 404 Not Found\r\nSERVER: x\r\n\r\n", loc, sizeof(loc), &r), -1,
           "404: -1");
    ok(r.n == 0 && loc[0] == '\0', "  nothing emitted, location cleared");
    is_int(parse_lit("HTTP/1.1 2000 OK\r\n", loc, sizeof(loc), &r), -1, "status 2000: -1");
    is_int(parse_lit("GET / HTTP/1.1\r\n", loc, sizeof(loc), &r), -1, "GET: -1");
    is_int(parse_lit("NOTIFY * HTTP/1.0\r\n", loc, sizeof(loc), &r), -1, "NOTIFY HTTP/1.0: -1");
    is_int(parse_lit("NOTIFY /x HTTP/1.1\r\n", loc, sizeof(loc), &r), -1,
           "GENA NOTIFY (not *): -1");
    is_int(parse_lit("notify * HTTP/1.1\r\n", loc, sizeof(loc), &r), -1, "lower-case method: -1");
    is_int(parse_lit("M-SEARCH * HTTP/1.1 \r\n", loc, sizeof(loc), &r), 0,
           "trailing space on start line tolerated");
    is_int(parse_lit("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope", loc, sizeof(loc),
                     &r),
           -1, "WS-Discovery (upnp.pcap): -1");
    is_int(parse_lit("", loc, sizeof(loc), &r), -1, "empty: -1");
    is_int(ssdp_parse(NULL, 4, NULL, 0, NULL), -1, "NULL: -1");
}

int
main(void)
{
    test_pcap();
    test_response();
    test_not_ssdp();
    return done_testing();
}
