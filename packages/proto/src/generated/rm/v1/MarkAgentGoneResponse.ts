// Original file: proto/rm/v1/rm.proto


export interface MarkAgentGoneResponse {
}

export interface MarkAgentGoneResponse__Output {
}
