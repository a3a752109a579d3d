/* ex_cwmp.c - TR-069 (CWMP) Inform: who the CPE says it is.
 *
 * References: TR-069 Amendment 6 A.3.3.1 (Inform, DeviceIdStruct,
 * ParameterValueStruct), SOAP 1.1 envelope; the XML is read by the
 * tolerant scanner of ex_xml.c.
 *
 * The envelope prefixes vary by vendor (cwmp:, soap-env:, SOAP-ENV: or
 * none), which the scanner's prefix-free, any-case names absorb. A
 * container cut short (the Inform, DeviceId, ParameterList) is read as far
 * as it goes; a value whose end tag is missing is not handed on, since a
 * cut value could match the wrong signature.
 */
#include "telexpose/ex_http.h"

#include <string.h>

#include "ex_xml.h"

/* DeviceIdStruct members; the first non-empty one of each wins. */
static const struct xml_field device_id[] = {
    { "Manufacturer", SIG_FIELD_CWMP_MANUFACTURER },
    { "OUI", SIG_FIELD_CWMP_OUI },
    { "ProductClass", SIG_FIELD_CWMP_PRODUCT_CLASS },
    { "SerialNumber", SIG_FIELD_CWMP_SERIAL_NUMBER },
};

/* Parameters read from the ParameterList, by the end of their path: the
 * root object differs (InternetGatewayDevice. or Device.). */
static const struct xml_field params[] = {
    { "DeviceInfo.SoftwareVersion", SIG_FIELD_CWMP_SOFTWARE_VERSION },
    { "DeviceInfo.HardwareVersion", SIG_FIELD_CWMP_HARDWARE_VERSION },
};

/* Does the parameter path name end in the path element(s) suffix? */
static bool
name_ends_with(const char *name, size_t n, const char *suffix)
{
    struct xml_span s = { (const uint8_t *)name, n };
    size_t k = strlen(suffix);

    if (n < k || !xml_ieq_lit(xml_from(s, n - k), suffix))
        return false;
    return n == k || xml_at(s, n - k - 1) == '.';
}

/* A ParameterValueStruct names its parameter in a child rather than in its
 * own tag, so this is not a plain xml_read_fields() walk: the Name and Value
 * of each struct are paired first (in either order), then the path matched. */
static int
read_parameter_list(struct xml_span list, const struct obs_sink *sink)
{
    struct xml_span local, pvs, field, name = { NULL, 0 }, value = { NULL, 0 };
    size_t pos = 0;
    unsigned done = 0;
    int emitted = 0;

    while (xml_next_child(list, &pos, &local, &pvs)) {
        char path[OBS_VALUE_MAX];
        size_t ppos = 0, plen;
        bool has_name = false, has_value = false;

        if (!xml_ieq_lit(local, "ParameterValueStruct"))
            continue;
        while (xml_next_child(pvs, &ppos, &local, &field)) {
            if (!has_name && xml_ieq_lit(local, "Name")) {
                name = field;
                has_name = true;
            } else if (!has_value && xml_ieq_lit(local, "Value")) {
                value = field;
                has_value = true;
            }
        }
        if (!has_name || !has_value)
            continue;
        plen = xml_text(name, path, sizeof(path));
        for (size_t k = 0; k < sizeof(params) / sizeof(params[0]); k++) {
            if ((done & (1u << k)) == 0 && name_ends_with(path, plen, params[k].name)) {
                int e = xml_emit_text(sink, params[k].field, value);

                if (e > 0)
                    done |= 1u << k;
                emitted += e;
                break;
            }
        }
    }
    return emitted;
}

int
cwmp_parse_inform(const uint8_t *xml, size_t len, const struct obs_sink *sink)
{
    struct xml_span x = { xml, xml != NULL ? len : 0 }, inform, part;
    int emitted = 0;

    if (!xml_find_elem(x, "Inform", &inform))
        return 0;
    if (xml_find_elem(inform, "DeviceId", &part))
        emitted += xml_read_fields(part, device_id, sizeof(device_id) / sizeof(device_id[0]), sink);
    if (xml_find_elem(inform, "ParameterList", &part))
        emitted += read_parameter_list(part, sink);
    return emitted;
}
