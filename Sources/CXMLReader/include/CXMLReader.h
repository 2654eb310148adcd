#ifndef CONNVAULT_CXMLREADER_H
#define CONNVAULT_CXMLREADER_H

/*
 * libxml2's pull parser (xmlTextReader), loaded on first use: see XMLReader.c. The reader is opaque; names and
 * values are UTF-8 and owned by the reader.
 */

typedef struct cv_xml_reader cv_xml_reader;

/* The node types this package reads (libxml2's xmlReaderTypes). */
enum {
    CV_XML_ELEMENT = 1,
    CV_XML_TEXT = 3,
    CV_XML_CDATA = 4,
    CV_XML_WHITESPACE = 13,
    CV_XML_SIGNIFICANT_WHITESPACE = 14,
    CV_XML_END_ELEMENT = 15,
};

/* A reader of the `count` bytes at `bytes`, which must stay valid until it is closed: no network, no external
   entities or DTDs loaded, entity references in text left unexpanded (attribute values are expanded, as XML
   requires), nothing ever printed. NULL when libxml2 cannot make one (out of memory). One reader at a time per
   thread: libxml2's failures that no reader reports are noted per thread (see cv_xml_reader_failed). */
cv_xml_reader *cv_xml_reader_open(const void *bytes, int count);
/* Whether libxml2 reported a failure on this thread since the last cv_xml_reader_open, even one the reader went
   on from (a value too long to expand comes back empty; input that could not be decoded ends early). */
int cv_xml_reader_failed(void);
/* Moves to the next node: 1 when there is one, 0 at the end of the document, -1 when it is not well-formed
   (namespace errors, such as an undeclared prefix, are not such). */
int cv_xml_reader_read(cv_xml_reader *reader);
int cv_xml_reader_node_type(cv_xml_reader *reader);
/* The qualified name of the current node (an element or attribute), or NULL. */
const char *cv_xml_reader_name(cv_xml_reader *reader);
/* The text of the current node (text, CDATA, attribute value), or NULL; valid until the next call on the reader. */
const char *cv_xml_reader_value(cv_xml_reader *reader);
/* Whether the current element is written `<e/>` (no end-element node follows). */
int cv_xml_reader_is_empty_element(cv_xml_reader *reader);
/* Moves to the current element's next attribute: 1 when there is one, 0 when there are no more. */
int cv_xml_reader_next_attribute(cv_xml_reader *reader);
void cv_xml_reader_close(cv_xml_reader *reader);

#endif
