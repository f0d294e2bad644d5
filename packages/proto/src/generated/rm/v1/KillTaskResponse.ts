// Original file: proto/rm/v1/rm.proto


export interface KillTaskResponse {
}

export interface KillTaskResponse__Output {
}
