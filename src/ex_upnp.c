/* ex_upnp.c - UPnP device description: the root device's maker and model.
 *
 * References: UPnP Device Architecture 2.0 section 2.3 (device description:
 * <root>, <device>, manufacturer, modelName, modelNumber, modelDescription,
 * manufacturerURL; embedded devices under <deviceList>); the XML is read by
 * the tolerant scanner of ex_xml.c.
 *
 * Only the root device's own children are read: the child walk skips each
 * child element whole, so the <deviceList> of embedded devices (a Huawei
 * gateway lists WANDevice, WANConnectionDevice, ...) never answers for the
 * box itself.
 */
#include "telexpose/ex_http.h"

#include "ex_xml.h"

/* The root device's fields (section 2.3); the first non-empty one wins. */
static const struct xml_field device_fields[] = {
    { "manufacturer", SIG_FIELD_UPNP_MANUFACTURER },
    { "modelName", SIG_FIELD_UPNP_MODEL_NAME },
    { "modelNumber", SIG_FIELD_UPNP_MODEL_NUMBER },
    { "modelDescription", SIG_FIELD_UPNP_MODEL_DESCRIPTION },
    { "manufacturerURL", SIG_FIELD_UPNP_MANUFACTURER_URL },
};

int
upnp_parse_description(const uint8_t *xml, size_t len, const struct obs_sink *sink)
{
    struct xml_span x = { xml, xml != NULL ? len : 0 }, root, device;

    if (!xml_find_elem(x, "root", &root) || !xml_find_elem(root, "device", &device))
        return 0;
    return xml_read_fields(device, device_fields, sizeof(device_fields) / sizeof(device_fields[0]),
                           sink);
}
