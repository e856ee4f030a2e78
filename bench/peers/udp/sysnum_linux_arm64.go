package main

const sysSENDMMSG = 269
