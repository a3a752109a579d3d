/* ex_xml.h - placeholder */
#ifndef TELEXPOSE_EX_XML_H
#define TELEXPOSE_EX_XML_H
typedef int ex_xml_placeholder;
#endif
