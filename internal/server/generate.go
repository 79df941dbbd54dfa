package server

// The page's script is a bundle of web/src and Cytoscape.js, committed as
// static/app.js and embedded; this rebuilds it (node and npm needed).
//go:generate sh web/build.sh
