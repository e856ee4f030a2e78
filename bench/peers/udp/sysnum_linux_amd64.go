package main

const sysSENDMMSG = 307
