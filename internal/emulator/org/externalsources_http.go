package org

import "net/http"

func (o *Org) externalSourceRoutes(mux *http.ServeMux) {
	o.handle(mux, "DELETE /api/v2/externalcontacts/externalsources/{sourceId}", deleteHandler("sourceId", o.DeleteExternalSource))
}
