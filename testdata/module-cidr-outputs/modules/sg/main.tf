# A security group whose caller passes in the IPv6 blocks it admits everything from.

variable "vpc_id" {
  type = string
}

variable "name" {
  type = string
}

variable "trusted_ipv6_cidr_blocks" {
  type = list(string)
}

resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = var.vpc_id
  ingress {
    protocol         = "tcp"
    from_port        = 443
    to_port          = 443
    ipv6_cidr_blocks = ["::/0"]
  }
  ingress {
    protocol         = "-1"
    from_port        = 0
    to_port          = 0
    ipv6_cidr_blocks = var.trusted_ipv6_cidr_blocks
  }
  egress {
    protocol         = "-1"
    from_port        = 0
    to_port          = 0
    ipv6_cidr_blocks = ["::/0"]
  }
}

output "id" {
  value = aws_security_group.this.id
}
